"""Pseudonymising people in the action log when their data go (account deletion, yearly purge).

:func:`apps.audit.services.pseudonymise_person` does it for one registrant, with a few
updates each over the log. :func:`pseudonymise_people` does the same for many people at once
(the purge: one read of the concerned entries per batch, then bulk updates), with one rule
more: a person who holds a staff role (on any site) or is an operator keeps their name on
what they did as staff; only the entries about them (they are the subject) are pseudonymised,
including what they did to their own data.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from apps.accounts.models import RoleAssignment
from apps.accounts.policy import STAFF_ROLES
from apps.audit.models import ActionLog
from apps.audit.services import person_label, pseudonym
from apps.tenancy.scoping import platform_job

BATCH = 500
FIELDS = (
    "object_label",
    "pseudonymised",
    "subject",
    "subject_label",
    "data",
    "actor",
    "actor_label",
    "ip",
    "acting_as",
    "acting_as_label",
)


def staff_ids(user_ids) -> set:
    """The people among ``user_ids`` who hold a staff role on any site, or are operators."""
    user_ids = set(user_ids)
    with platform_job():
        roles = RoleAssignment.objects.filter(user_id__in=user_ids, role__in=STAFF_ROLES)
        staff = set(roles.values_list("user_id", flat=True))
        operators = get_user_model().objects.filter(Q(is_operator=True) | Q(is_superuser=True), pk__in=user_ids)
        return staff | set(operators.values_list("pk", flat=True))


def _names(user):
    """The ways the log may name a person, longest first (replaced in that order)."""
    names = {value for value in (person_label(user), user.email, user.get_full_name()) if value}
    return sorted(names, key=len, reverse=True)


def _pseudonymise_entry(entry, people, staff, user_type):
    """Change one entry in memory: (whether it changed, whether somebody in it was pseudonymised)."""
    subject_id = entry.subject_id
    named = []  # the people whose names go from the object's label
    if subject_id in people:
        named.append(subject_id)
        entry.subject_label, entry.subject, entry.data = pseudonym(subject_id), None, {}
    actor_id, acting_as_id = entry.actor_id, entry.acting_as_id
    if actor_id in people and (actor_id not in staff or actor_id == subject_id):
        named.append(actor_id)
        entry.actor_label, entry.actor, entry.ip = pseudonym(actor_id), None, None
    if acting_as_id in people and (acting_as_id not in staff or acting_as_id == subject_id):
        named.append(acting_as_id)
        entry.acting_as_label, entry.acting_as = pseudonym(acting_as_id), None
    label = entry.object_label
    for person_id in dict.fromkeys(named):
        for name in _names(people[person_id]):
            label = label.replace(name, pseudonym(person_id))
    if entry.object_type == user_type and entry.object_id.isdigit() and int(entry.object_id) in people:
        label = pseudonym(int(entry.object_id))
    changed = bool(named) or label != entry.object_label
    entry.object_label = label
    entry.pseudonymised = entry.pseudonymised or bool(named)
    return changed, bool(named)


def pseudonymise_people(users, *, site=None) -> int:
    """Replace these people's names in the log (of ``site``, or of every site) by pseudonyms.

    What :func:`apps.audit.services.pseudonymise_person` does for each of them, except that
    the staff among them keep their name on the entries about somebody else. Returns the
    number of entries pseudonymised.
    """
    people = {user.pk: user for user in users if user.pk is not None}
    if not people:
        return 0
    staff = staff_ids(people)
    user_type = get_user_model()._meta.label_lower
    rows = ActionLog.objects.with_scopes_disabled().all()
    if site is not None:
        rows = rows.filter(site=site)
    ids, keys = list(people), [str(pk) for pk in people]
    concerned = rows.filter(
        Q(subject_id__in=ids)
        | Q(actor_id__in=ids)
        | Q(acting_as_id__in=ids)
        | Q(object_type=user_type, object_id__in=keys)
    )
    count = 0
    with transaction.atomic():
        pks = list(concerned.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            changed = []
            for entry in ActionLog.objects.with_scopes_disabled().filter(pk__in=pks[start : start + BATCH]):
                entry_changed, named = _pseudonymise_entry(entry, people, staff, user_type)
                if entry_changed:
                    changed.append(entry)
                count += named
            ActionLog.objects.with_scopes_disabled().bulk_update(changed, FIELDS)
    return count
