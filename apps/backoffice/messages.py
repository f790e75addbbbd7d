"""The messages of the offer's management."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy

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
        group=_lazy("Offer"),
        label=_lazy("Speaker added to a course or event"),
        recipients=_lazy("the speaker"),
        subject=_lazy("You are a speaker of “{{ offer_label }}”"),
        body=_lazy(
            "Hello {{ first_name }},\n\n"
            "You have been added to the speakers of “{{ offer_label }}” on {{ site_name }}.\n\n"
            "Your slots and their registrants: {{ my_slots_url }}\n"
        ),
        variables=(
            Variable("first_name", _lazy("first name of the speaker"), "Dominique"),
            Variable("offer_label", _lazy("the course or event"), "Algorithmique"),
            Variable(
                "my_slots_url",
                _lazy("address of the speaker's slots page"),
                "https://immersion.example.org/back-office/my-slots/",
            ),
        ),
        build=_speaker_added,
    ),
)
