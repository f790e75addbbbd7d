"""The messages of registrations: variables, default texts, and how they are filled."""

from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.notifications.registry import MessageSpec, Variable, register

GROUP = _lazy("Registrations")

SLOT_VARIABLES = (
    Variable("slot_label", _lazy("course or event"), "Algorithmique"),
    Variable("slot_date", _lazy("date of the slot"), "mardi 8 décembre 2026"),
    Variable("slot_start", _lazy("start time"), "10:00"),
    Variable("slot_end", _lazy("end time"), "12:00"),
    Variable("slot_place", _lazy("where (campus, building, room, or remote)"), "Campus central, Atrium, A101"),
)


def slot_values(slot):
    if slot.place == "remote":
        place = _("Remote: the link is on your immersions page.")
    elif slot.campus_id:
        place = ", ".join(
            x for x in (slot.campus.label, slot.building.label if slot.building_id else "", slot.room) if x
        )
    elif slot.place_high_school_id:
        place = slot.place_high_school.label
    else:
        place = slot.outside_address
    return {
        "slot_label": slot.offer_label,
        "slot_date": date_format(slot.date, "DATE_FORMAT"),
        "slot_start": time_format(slot.start_time, "TIME_FORMAT"),
        "slot_end": time_format(slot.end_time, "TIME_FORMAT"),
        "slot_place": place,
    }


def _registration_confirmed(context):
    registration, slot = context["registration"], context["slot"]
    if context.get("from_waiting_list"):
        how = _("A place was freed and you are now registered:")
    elif context.get("by_someone_else"):
        how = _("You have been registered:")
    else:
        how = _("Your registration is confirmed:")
    return {
        "first_name": registration.person.first_name,
        "how": how,
        "my_immersions_url": context["base_url"] + reverse("registrations:mine"),
        **slot_values(slot),
    }


register(
    MessageSpec(
        key="registration_confirmed",
        group=GROUP,
        label=_lazy("Registration confirmed"),
        recipients=_lazy("the registrant"),
        subject=_lazy("Registration confirmed: {{ slot_label }} on {{ slot_date }}"),
        body=_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ how }}\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{{ slot_place }}\n\n"
            "Your immersions, to see the details or cancel: {{ my_immersions_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            Variable("first_name", _lazy("first name of the registrant"), "Camille"),
            Variable(
                "how",
                _lazy("how they were registered (by themselves, by someone, from the waiting list)"),
                "Votre inscription est confirmée :",
            ),
            *SLOT_VARIABLES,
            Variable(
                "my_immersions_url",
                _lazy("address of their immersions page"),
                "https://immersion.example.org/my-immersions/",
            ),
        ),
        build=_registration_confirmed,
    ),
)
