"""The messages of the offer's management."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register


def _speaker_added(context):
    return {
        "first_name": context["person"].first_name,
        "offer_label": context["offer"].label,
        "my_slots_url": context["base_url"] + reverse("backoffice:offer_my_slots"),
    }


register(
    MessageSpec(
        key="offer_speaker_added",
        group=gettext_lazy("Offer"),
        label=gettext_lazy("Speaker added to a course or event"),
        recipients=gettext_lazy("the speaker"),
        subject=gettext_lazy("You are a speaker of “{{ offer_label }}”"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "You have been added to the speakers of “{{ offer_label }}” on {{ site_name }}.\n\n"
            "Your slots and their registrants: {{ my_slots_url }}\n"
        ),
        variables=(
            Variable("first_name", gettext_lazy("first name of the speaker"), "Dominique"),
            Variable("offer_label", gettext_lazy("the course or event"), "Algorithmique"),
            Variable(
                "my_slots_url",
                gettext_lazy("address of the speaker's slots page"),
                "https://immersion.example.org/back-office/my-slots/",
            ),
        ),
        build=_speaker_added,
    ),
)
