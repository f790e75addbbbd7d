"""The messages to a slot's registrants and group contacts when the slot changes or is cancelled."""

from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register
from apps.registrations.messages import SLOT_VARIABLES, reason_text, slot_values

GROUP = gettext_lazy("Registrations")

FIRST_NAME = Variable(
    "first_name", gettext_lazy("first name of the registrant, or name of the group's contact"), "Camille"
)


def _slot_message(context):
    return {
        "first_name": context.get("name") or "",
        "changes": ", ".join(str(change) for change in context.get("changes") or ()),
        "reason": reason_text(context.get("reason")),
        **slot_values(context["slot"]),
    }


register(
    MessageSpec(
        key="slot_changed",
        group=GROUP,
        label=gettext_lazy("Slot changed"),
        recipients=gettext_lazy("the slot's registrants and group contacts"),
        subject=gettext_lazy("Change to your immersion: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "The immersion “{{ slot_label }}” you are registered to has changed.\n"
            "What changed: {{ changes }}\n\n"
            "Date: {{ slot_date }}\n"
            "Time: {{ slot_start }} – {{ slot_end }}\n"
            "Place: {{ slot_place }}\n\n"
            "If you can no longer attend, please cancel your registration on {{ site_url }}/\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("changes", gettext_lazy("what changed (date, times, place...)"), "date, heure de début"),
            *SLOT_VARIABLES,
        ),
        build=_slot_message,
    ),
    MessageSpec(
        key="slot_cancelled",
        group=GROUP,
        label=gettext_lazy("Slot cancelled"),
        recipients=gettext_lazy("the slot's registrants and group contacts"),
        subject=gettext_lazy("Immersion cancelled: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "The immersion “{{ slot_label }}” on {{ slot_date }} at {{ slot_start }} is cancelled, "
            "and your registration with it.\n"
            "{% if reason %}Reason: {{ reason }}\n{% endif %}\n"
            "You can find other immersions on {{ site_url }}/\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            *SLOT_VARIABLES,
            Variable("reason", gettext_lazy("why the slot is cancelled (may be empty)"), "Enseignant malade"),
        ),
        build=_slot_message,
    ),
)
