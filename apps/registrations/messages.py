"""The messages of registrations: variables, default texts, and how they are filled."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import owner_of
from apps.notifications.registry import MessageSpec, Variable, register
from apps.notifications.services import send_message
from apps.records.models import PupilRecord

GROUP = gettext_lazy("Registrations")

SLOT_VARIABLES = (
    Variable("slot_label", gettext_lazy("course or event"), "Algorithmique"),
    Variable("slot_date", gettext_lazy("date of the slot"), "mardi 8 décembre 2026"),
    Variable("slot_start", gettext_lazy("start time"), "10:00"),
    Variable("slot_end", gettext_lazy("end time"), "12:00"),
    Variable("slot_place", gettext_lazy("where (campus, building, room, or remote)"), "Campus central, Atrium, A101"),
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
        label=gettext_lazy("Registration confirmed"),
        recipients=gettext_lazy("the registrant"),
        subject=gettext_lazy("Registration confirmed: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ how }}\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{{ slot_place }}\n\n"
            "Your immersions, to see the details or cancel: {{ my_immersions_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            Variable("first_name", gettext_lazy("first name of the registrant"), "Camille"),
            Variable(
                "how",
                gettext_lazy("how they were registered (by themselves, by someone, from the waiting list)"),
                "Votre inscription est confirmée :",
            ),
            *SLOT_VARIABLES,
            Variable(
                "my_immersions_url",
                gettext_lazy("address of their immersions page"),
                "https://immersion.example.org/my-immersions/",
            ),
        ),
        build=_registration_confirmed,
    ),
)


# --- Shared pieces of the other registration messages ------------------------------------------

FIRST_NAME = Variable("first_name", gettext_lazy("first name of the recipient"), "Camille")
MY_IMMERSIONS_URL = Variable(
    "my_immersions_url",
    gettext_lazy("address of their immersions page"),
    "https://immersion.example.org/my-immersions/",
)


def reason_text(reason):
    """A cancellation reason (a reference item or a plain text) as text."""
    if not reason:
        return ""
    return str(getattr(reason, "label", None) or reason)


def _my_immersions(context):
    return context["base_url"] + reverse("registrations:mine")


def _registration_cancelled(context):
    registration, slot = context["registration"], context["slot"]
    return {
        "first_name": registration.person.first_name,
        "reason": reason_text(context.get("reason")),
        **slot_values(slot),
    }


def _registration_cancelled_late(context):
    registration, slot, person = context["registration"], context["slot"], context["person"]
    return {
        "person_name": person.get_full_name(),
        "reason": reason_text(registration.cancellation_reason),
        **slot_values(slot),
    }


def _waiting_list(context):
    entry, slot = context["entry"], context["slot"]
    values = {"first_name": entry.person.first_name, "my_immersions_url": _my_immersions(context), **slot_values(slot)}
    if context.get("offer_expires_at"):
        values["offer_deadline"] = date_format(localtime(context["offer_expires_at"]), "DATETIME_FORMAT")
    return values


def _course_alert(context):
    slot = context["slot"]
    return {
        "course_label": context["course"].label,
        "slot_url": context["base_url"] + reverse("portal:slot", args=[slot.pk]),
        **slot_values(slot),
    }


def group_values(context):
    group, slot = context["group"], context["slot"]
    return {
        "contact_name": context.get("name") or group.contact_name,
        "high_school": group.high_school.label,
        "pupils": ngettext("%(count)s pupil", "%(count)s pupils", group.pupils_count) % {"count": group.pupils_count},
        **slot_values(slot),
    }


def _disability_notice(context):
    registration, slot, recipient = context["registration"], context["slot"], context["recipient"]
    record = context.get("record")
    return {
        "first_name": recipient.first_name,
        "person_name": registration.person.get_full_name(),
        "person_email": registration.person.email,
        "high_school": record.high_school.label if record is not None and record.high_school_id else "",
        "registrants_url": context["base_url"] + reverse("backoffice:registrants_slot", args=[slot.pk]),
        **slot_values(slot),
    }


CONTACT_NAME = Variable("contact_name", gettext_lazy("name of the group's contact"), "Mme Martin")
HIGH_SCHOOL = Variable("high_school", gettext_lazy("high school of the group"), "Lycée Kléber")
GROUP_VARIABLES = (
    CONTACT_NAME,
    Variable("pupils", gettext_lazy("number of pupils of the group"), "24 élèves"),
    HIGH_SCHOOL,
    *SLOT_VARIABLES,
)
REASON = Variable("reason", gettext_lazy("reason of the cancellation (may be empty)"), "Absence de l'enseignant")

register(
    MessageSpec(
        key="registration_cancelled",
        group=GROUP,
        label=gettext_lazy("Registration cancelled"),
        recipients=gettext_lazy("the registrant"),
        subject=gettext_lazy("Registration cancelled: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Your registration is cancelled:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{% if reason %}Reason: {{ reason }}\n{% endif %}\n"
            "You can find other immersions on {{ site_url }}/\n\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME, *SLOT_VARIABLES, REASON),
        build=_registration_cancelled,
    ),
    MessageSpec(
        key="registration_cancelled_late",
        group=GROUP,
        label=gettext_lazy("Late cancellation, to the organisers"),
        recipients=gettext_lazy("the slot's speakers and the structure's referents"),
        subject=gettext_lazy("Late cancellation: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello,\n\n"
            "{{ person_name }} cancelled their registration after registrations closed:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{% if reason %}Reason: {{ reason }}\n{% endif %}\n"
            "{{ site_name }}\n"
        ),
        variables=(
            Variable("person_name", gettext_lazy("full name of the person who cancelled"), "Camille Durand"),
            *SLOT_VARIABLES,
            REASON,
        ),
        build=_registration_cancelled_late,
    ),
    MessageSpec(
        key="waiting_list_joined",
        group=GROUP,
        label=gettext_lazy("Waiting list joined"),
        recipients=gettext_lazy("the person in line"),
        subject=gettext_lazy("Waiting list: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "You are on the waiting list of:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n\n"
            "If a place is freed, it goes to the first person in line: we will write to you.\n"
            "Your immersions and your place in line: {{ my_immersions_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME, *SLOT_VARIABLES, MY_IMMERSIONS_URL),
        build=_waiting_list,
    ),
    MessageSpec(
        key="waiting_list_offer",
        group=GROUP,
        label=gettext_lazy("Waiting list: a place is held for you"),
        recipients=gettext_lazy("the first person in line"),
        subject=gettext_lazy("A place is free for you: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "A place was freed on a slot you are waiting for:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n\n"
            "It is held for you until {{ offer_deadline }}. Confirm it on your immersions page before then, "
            "or it goes to the next person in line:\n"
            "{{ my_immersions_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            *SLOT_VARIABLES,
            Variable("offer_deadline", gettext_lazy("until when the place is held"), "7 décembre 2026 18:00"),
            MY_IMMERSIONS_URL,
        ),
        build=_waiting_list,
    ),
    MessageSpec(
        key="waiting_list_promoted",
        group=GROUP,
        label=gettext_lazy("Waiting list: registered"),
        recipients=gettext_lazy("the first person in line"),
        subject=gettext_lazy("You are registered from the waiting list: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "A place was freed and you are now registered:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n\n"
            "If you can no longer come, cancel on your immersions page so that the next person gets the place:\n"
            "{{ my_immersions_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME, *SLOT_VARIABLES, MY_IMMERSIONS_URL),
        build=_waiting_list,
    ),
    MessageSpec(
        key="course_alert",
        group=GROUP,
        label=gettext_lazy("New slot of a followed course"),
        recipients=gettext_lazy("people who asked to be told of new slots of the course"),
        subject=gettext_lazy("New slot: {{ course_label }}"),
        body=gettext_lazy(
            "Hello,\n\n"
            "A new slot of “{{ course_label }}” is open to registrations:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n\n"
            "{{ slot_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            Variable("course_label", gettext_lazy("the course"), "Algorithmique"),
            *SLOT_VARIABLES,
            Variable("slot_url", gettext_lazy("address of the slot's page"), "https://immersion.example.org/slots/42/"),
        ),
        build=_course_alert,
    ),
    MessageSpec(
        key="group_registration_confirmed",
        group=GROUP,
        label=gettext_lazy("Group registered"),
        recipients=gettext_lazy("the group's contact"),
        subject=gettext_lazy("Group registered: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ contact_name }},\n\n"
            "A group of {{ pupils }} of {{ high_school }} is registered:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=GROUP_VARIABLES,
        build=group_values,
    ),
    MessageSpec(
        key="group_registration_cancelled",
        group=GROUP,
        label=gettext_lazy("Group registration cancelled"),
        recipients=gettext_lazy("the group's contact"),
        subject=gettext_lazy("Group registration cancelled: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ contact_name }},\n\n"
            "The group registration of {{ high_school }} is cancelled:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=GROUP_VARIABLES,
        build=group_values,
    ),
    MessageSpec(
        key="registration_disability_notice",
        group=GROUP,
        label=gettext_lazy("Disability notice to the host"),
        recipients=gettext_lazy("the referents of the establishment or high school hosting the slot"),
        subject=gettext_lazy("A registrant with a disability: {{ slot_label }} on {{ slot_date }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ person_name }}{% if high_school %} ({{ high_school }}){% endif %} has registered for the slot below "
            "and said in their record that they have a disability:\n"
            "“{{ slot_label }}” on {{ slot_date }}, {{ slot_start }}–{{ slot_end }}\n"
            "{{ slot_place }}\n\n"
            "Please get in touch with them to prepare their visit: {{ person_email }}\n"
            "The slot's registrants: {{ registrants_url }}\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("person_name", gettext_lazy("full name of the registrant"), "Camille Durand"),
            Variable("person_email", gettext_lazy("e-mail address of the registrant"), "camille.durand@example.org"),
            Variable("high_school", gettext_lazy("high school of the registrant (may be empty)"), "Lycée Kléber"),
            *SLOT_VARIABLES,
            Variable(
                "registrants_url",
                gettext_lazy("address of the slot's registrants page"),
                "https://immersion.example.org/back-office/slots/42/registrants/",
            ),
        ),
        build=_disability_notice,
    ),
)


def disability_recipients(slot):
    """Who hears of a registrant's disability: the establishment-level referents of the slot's host.

    A disability is sensitive: it goes to as few people as can act on it. Until each host names
    a disability referent, those are the referents of the establishment that hosts the slot
    (whatever structure of it runs the course or event) — never its structure referents,
    consultants or speakers. A slot of a high school hosting post-bac trainings goes to that high
    school's referents: they are its establishment-level referents (they manage its offer, and
    no establishment referent is attached to a high school).
    """
    owner = owner_of(slot)
    scopes = Q(pk__in=[])
    if owner.establishment_id:
        scopes |= Q(role=Role.ESTABLISHMENT_REFERENT, establishment_id=owner.establishment_id)
    elif owner.high_school_id:
        scopes |= Q(role=Role.HIGH_SCHOOL_REFERENT, high_school_id=owner.high_school_id)
    assignments = RoleAssignment.objects.filter(scopes, site=slot.site).select_related("user").order_by("user_id")
    return list({a.user_id: a.user for a in assignments if a.user.is_active}.values())


def notify_disability(registration, record=None):
    """Tell the host's referents (:func:`disability_recipients`) that a pupil who declared a disability
    registered (after commit).

    Nothing is sent when the registrant has no pupil record saying so. ``record``: the registrant's
    record when the caller has it already (the engine does), saving a query. Returns the number of
    recipients.
    """
    slot = registration.slot
    if record is None:
        record = (
            PupilRecord.objects.filter(site=registration.site_id, user=registration.person_id, has_disability=True)
            .select_related("high_school")
            .first()
        )
    if not (isinstance(record, PupilRecord) and record.has_disability):
        return 0
    recipients = disability_recipients(slot)

    def send():
        for user in recipients:
            send_message(
                "registration_disability_notice",
                to=user,
                site=slot.site,
                context={"registration": registration, "slot": slot, "record": record, "recipient": user},
                dedup_key=f"disability:{registration.pk}:{user.pk}",
            )

    transaction.on_commit(send)
    return len(recipients)


# --- A slot changed or cancelled (the slot lifecycle, :mod:`.slot_services`) -------------------

SLOT_FIRST_NAME = Variable(
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
            SLOT_FIRST_NAME,
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
            SLOT_FIRST_NAME,
            *SLOT_VARIABLES,
            Variable("reason", gettext_lazy("why the slot is cancelled (may be empty)"), "Enseignant malade"),
        ),
        build=_slot_message,
    ),
)
