"""The messages of the scheduled jobs: reminders, digests, documents, surveys."""

from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register
from apps.registrations.messages import GROUP_VARIABLES, SLOT_VARIABLES, group_values, slot_values

REMINDERS = gettext_lazy("Reminders")
DOCUMENTS = gettext_lazy("Documents")
SURVEYS = gettext_lazy("Surveys")

FIRST_NAME = Variable("first_name", gettext_lazy("first name of the recipient"), "Camille")
MY_IMMERSIONS_URL = Variable(
    "my_immersions_url",
    gettext_lazy("address of their immersions page"),
    "https://immersion.example.org/my-immersions/",
)
DOCUMENTS_URL = Variable(
    "documents_url", gettext_lazy("address of their documents page"), "https://immersion.example.org/documents/"
)


def _url(context, name):
    return context["base_url"] + reverse(name)


def _registrant_reminder(context):
    registration, slot = context["registration"], context["slot"]
    return {
        "first_name": registration.person.first_name,
        "my_immersions_url": _url(context, "registrations:mine"),
        **slot_values(slot),
    }


def _group_reminder(context):
    return {**group_values(context), "adults": context["group"].accompanying_adults}


def _speaker_reminder(context):
    slot = context["slot"]
    return {
        "first_name": context["speaker"].first_name,
        "registrants": slot.individual_places_taken,
        "group_places": slot.group_places_taken,
        "waiting": getattr(slot, "waiting", 0),
        **slot_values(slot),
    }


def _slot_line(slot):
    line = _("%(date)s, %(start)s–%(end)s: %(label)s — places taken: %(taken)s / %(places)s") % {
        "date": date_format(slot.date, "DATE_FORMAT"),
        "start": time_format(slot.start_time, "TIME_FORMAT"),
        "end": time_format(slot.end_time, "TIME_FORMAT"),
        "label": slot.offer_label,
        "taken": slot.individual_places_taken,
        "places": slot.individual_places,
    }
    if slot.group_places_taken:
        line += _(", %(count)s group places") % {"count": slot.group_places_taken}
    waiting = getattr(slot, "waiting", 0)
    if waiting:
        line += _(", %(count)s on the waiting list") % {"count": waiting}
    return f"- {line}"


def _structure_weekly_digest(context):
    return {
        "first_name": context["recipient"].first_name,
        "structure": context["structure"].label,
        "slots": "\n".join(_slot_line(slot) for slot in context["slots"]),
        "back_office_url": _url(context, "staff:home"),
    }


def _pending_validations_digest(context):
    return {
        "first_name": context["recipient"].first_name,
        "count": context["count"],
        "validation_url": _url(context, "records:pending"),
    }


def _document_expiry_warning(context):
    attestation = context["attestation"]
    return {
        "first_name": attestation.user.first_name,
        "document": attestation.attestation_type.label,
        "expiry_date": date_format(attestation.validity_date, "DATE_FORMAT"),
        "documents_url": _url(context, "attestations:mine"),
    }


def _registration_auto_cancelled(context):
    registration, slot = context["registration"], context["slot"]
    return {
        "first_name": registration.person.first_name,
        "documents": context["documents"],
        "documents_url": _url(context, "attestations:mine"),
        **slot_values(slot),
    }


def _survey_after_slot(context):
    registration, slot = context["registration"], context["slot"]
    return {
        "first_name": registration.person.first_name,
        "survey_url": context["site"].survey_after_slot_url,
        **slot_values(slot),
    }


def _survey_end_of_year(context):
    return {
        "first_name": context["person"].first_name,
        "year": context["year"].label,
        "survey_url": context["site"].survey_end_of_year_url,
    }


register(
    MessageSpec(
        key="registrant_reminder",
        group=REMINDERS,
        label=gettext_lazy("Reminder to a registrant"),
        recipients=gettext_lazy("the registrant, a few days before the slot"),
        subject=gettext_lazy("Reminder: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "A reminder of your immersion:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{{ slot_place }}\n\n"
            "If you cannot come, please cancel to free your place: {{ my_immersions_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME, *SLOT_VARIABLES, MY_IMMERSIONS_URL),
        build=_registrant_reminder,
    ),
    MessageSpec(
        key="group_reminder",
        group=REMINDERS,
        label=gettext_lazy("Reminder to a group's contact"),
        recipients=gettext_lazy("the contact of a group registration, a few days before the slot"),
        subject=gettext_lazy("Reminder: your group on {{ slot_label }}, {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ contact_name }},\n\n"
            "A reminder of the immersion of your group from {{ high_school }} "
            "({{ pupils }}, {{ adults }} accompanying adults):\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{{ slot_place }}\n\n"
            "If your group cannot come, please tell the organisers or cancel the group registration.\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            *GROUP_VARIABLES,
            Variable("adults", gettext_lazy("number of accompanying adults"), "2"),
        ),
        build=_group_reminder,
    ),
    MessageSpec(
        key="speaker_reminder",
        group=REMINDERS,
        label=gettext_lazy("Reminder to a speaker"),
        recipients=gettext_lazy("each speaker of the slot, a few days before it"),
        subject=gettext_lazy("Your slot {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "A reminder of the slot you lead:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{{ slot_place }}\n\n"
            "Registrants: {{ registrants }}"
            "{% if group_places %}, group places: {{ group_places }}{% endif %}"
            "{% if waiting %}, on the waiting list: {{ waiting }}{% endif %}.\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            *SLOT_VARIABLES,
            Variable("registrants", gettext_lazy("number of individual registrants"), "12"),
            Variable("group_places", gettext_lazy("number of group places taken"), "0"),
            Variable("waiting", gettext_lazy("number of people on the waiting list"), "3"),
        ),
        build=_speaker_reminder,
    ),
    MessageSpec(
        key="structure_weekly_digest",
        group=REMINDERS,
        label=gettext_lazy("Weekly digest to a structure"),
        recipients=gettext_lazy("the structure's referents, once a week"),
        subject=gettext_lazy("{{ structure }}: your slots of the coming week"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "The slots of {{ structure }} in the coming seven days:\n"
            "{{ slots }}\n\n"
            "Registrants and waiting lists in the back office: {{ back_office_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("structure", gettext_lazy("name of the structure"), "Sciences"),
            Variable(
                "slots",
                gettext_lazy("the slots, one a line, with their registrants and waiting lists"),
                "- mardi 8 décembre 2026, 10:00–12:00 : Algorithmique — 8 inscrits sur 10 places",
            ),
            Variable(
                "back_office_url",
                gettext_lazy("address of the back office"),
                "https://immersion.example.org/back-office/",
            ),
        ),
        build=_structure_weekly_digest,
    ),
    MessageSpec(
        key="pending_validations_digest",
        group=REMINDERS,
        label=gettext_lazy("Records waiting for validation"),
        recipients=gettext_lazy("high-school and establishment referents with records to validate, daily"),
        subject=gettext_lazy("{{ count }} record(s) waiting for your validation"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ count }} record(s) are waiting for your validation: {{ validation_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("count", gettext_lazy("number of records waiting"), "4"),
            Variable(
                "validation_url",
                gettext_lazy("address of the validation page"),
                "https://immersion.example.org/back-office/records/validation/",
            ),
        ),
        build=_pending_validations_digest,
    ),
    MessageSpec(
        key="document_expiry_warning",
        group=DOCUMENTS,
        label=gettext_lazy("Document about to expire"),
        recipients=gettext_lazy("the owner of the document"),
        subject=gettext_lazy("Your document “{{ document }}” expires on {{ expiry_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Your document “{{ document }}” is valid until {{ expiry_date }}. "
            "Please send a new one before then, or your registrations after that date will be cancelled: "
            "{{ documents_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("document", gettext_lazy("type of the document"), "Autorisation parentale"),
            Variable("expiry_date", gettext_lazy("last day of validity"), "31 décembre 2026"),
            DOCUMENTS_URL,
        ),
        build=_document_expiry_warning,
    ),
    MessageSpec(
        key="registration_auto_cancelled",
        group=DOCUMENTS,
        label=gettext_lazy("Registration cancelled: document expired"),
        recipients=gettext_lazy("the registrant"),
        subject=gettext_lazy("Registration cancelled: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Your registration for “{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }} "
            "has been cancelled because a mandatory document has expired: {{ documents }}.\n\n"
            "Send a valid document, then register again if places are left: {{ documents_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            *SLOT_VARIABLES,
            Variable("documents", gettext_lazy("the expired documents"), "Autorisation parentale"),
            DOCUMENTS_URL,
        ),
        build=_registration_auto_cancelled,
    ),
    MessageSpec(
        key="survey_after_slot",
        group=SURVEYS,
        label=gettext_lazy("Survey after a slot"),
        recipients=gettext_lazy("the people who attended the slot"),
        subject=gettext_lazy("Your opinion on {{ slot_label }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "You attended “{{ slot_label }}” on {{ slot_date }}. "
            "Tell us what you thought of it, it takes a few minutes: {{ survey_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            *SLOT_VARIABLES,
            Variable("survey_url", gettext_lazy("address of the survey"), "https://survey.example.org/slot"),
        ),
        build=_survey_after_slot,
    ),
    MessageSpec(
        key="survey_end_of_year",
        group=SURVEYS,
        label=gettext_lazy("End-of-year survey"),
        recipients=gettext_lazy("the year's registrants"),
        subject=gettext_lazy("Your immersions of {{ year }}: your opinion"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "The immersions of {{ year }} are over. "
            "Tell us what you thought of them, it takes a few minutes: {{ survey_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("year", gettext_lazy("the university year"), "2026-2027"),
            Variable("survey_url", gettext_lazy("address of the survey"), "https://survey.example.org/year"),
        ),
        build=_survey_end_of_year,
    ),
)
