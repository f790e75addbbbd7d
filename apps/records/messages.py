"""The messages about a person's record: validated, rejected, to be validated again."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register

GROUP = gettext_lazy("Records")

FIRST_NAME = Variable("first_name", gettext_lazy("first name of the record's holder"), "Camille")
RECORD_URL = Variable("record_url", gettext_lazy("address of their record"), "https://immersion.example.org/record/")


def _record(context):
    return {
        "first_name": context["person"].first_name,
        "record_url": context["base_url"] + reverse("records:home"),
        "reason": context.get("reason") or "",
    }


register(
    MessageSpec(
        key="record_validated",
        group=GROUP,
        label=gettext_lazy("Record validated"),
        recipients=gettext_lazy("the record's holder"),
        subject=gettext_lazy("Your record is validated — {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Your record is validated: you can now register for immersions.\n\n"
            "Find the immersions on {{ site_url }}/\n\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME,),
        build=_record,
    ),
    MessageSpec(
        key="record_rejected",
        group=GROUP,
        label=gettext_lazy("Record rejected"),
        recipients=gettext_lazy("the record's holder"),
        subject=gettext_lazy("Your record needs a correction — {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Your record could not be validated, for this reason:\n\n"
            "{{ reason }}\n\n"
            "Correct your record and save it: it will be sent for validation again.\n"
            "{{ record_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable(
                "reason", gettext_lazy("why the record was rejected"), "Le niveau de classe indiqué est incorrect."
            ),
            RECORD_URL,
        ),
        build=_record,
    ),
    MessageSpec(
        key="record_to_revalidate",
        group=GROUP,
        label=gettext_lazy("Record to be validated again"),
        recipients=gettext_lazy("the record's holder"),
        subject=gettext_lazy("Your record will be checked again — {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "You changed important information in your record (high school, level, name or birth date). "
            "It must be validated again; until then you cannot register for new immersions.\n\n"
            "You will receive an e-mail once it is done. Your record:\n"
            "{{ record_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME, RECORD_URL),
        build=_record,
    ),
)
