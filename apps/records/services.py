"""Write side of records: every change of a record and of its status goes through here.

The workflow, one function per use case, each in one transaction:

- :func:`choose_profile` — a signed-in person without a registrant role on the site becomes a
  pupil or a visitor there (the record starts "to complete").
- :func:`save_record` — the person saves their own record. The rules of a complete record are in
  :func:`record_problems`, checked here whatever the form did. Then:

  * to complete → to validate (``submitted_at``) once complete; a rejected record that is saved
    again goes back to "to validate" too;
  * **students are validated at once** when their record becomes complete: their identity comes
    from their home institution's sign-in (SAML), nobody on the site could check it better. Their
    names are not editable here. Only a record that a validator rejected waits again for the
    master referent;
  * a validated pupil or visitor record whose **significant** field changes (high school, level,
    names, birth date; the visitor type for visitors) goes to "to validate again", and the person
    is told by e-mail; other fields (phone, consents, class...) keep the status;
  * names and birth date of a pupil whose identity comes from EduConnect (``identity_locked``)
    never change here, even if a forged request sends them.
- :func:`validate_record`, :func:`reject_record` (with a reason the person sees),
  :func:`undo_rejection` (back to "to validate"), :func:`bulk_validate` — each checks
  ``policy.can(..., VALIDATE, ...)`` itself, so no caller can validate outside its scope.

Each step leaves its row in the action log (apps.audit), in its own transaction: the record
opened, changed, sent for validation, validated (one row per record of a bulk validation),
rejected (with the reason), its rejection cancelled. The disability flag and the visitor's
motivation are logged as changed without their values.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import policy
from apps.accounts.models import Role, RoleAssignment
from apps.accounts.services import signin_window
from apps.audit.services import changes, log_action
from apps.notifications.services import send_message
from apps.referentials.models import BachelorType

from .models import KIND_MODELS, PENDING_STATUSES, PupilRecord, RecordStatus, StudentRecord, VisitorRecord

RECORD_KINDS = {
    Role.PUPIL: PupilRecord,
    Role.STUDENT: StudentRecord,
    Role.VISITOR: VisitorRecord,
}
KIND_ROLES = {"pupil": Role.PUPIL, "student": Role.STUDENT, "visitor": Role.VISITOR}
#: Profiles a person may choose for themselves (students come through their institution's sign-in).
CHOOSABLE_KINDS = ("pupil", "visitor")

#: Plausible ages (inclusive) per kind.
AGE_BOUNDS = {"pupil": (10, 30), "student": (15, 99), "visitor": (10, 100)}
MAX_SPECIALITIES = 3
MAX_REASON_LENGTH = 2000
PHONE_PATTERN = re.compile(r"^\+?[0-9 .()\-]{6,25}$")

#: Fields the person edits, per kind (``first_name`` / ``last_name`` are the user's).
EDITABLE_FIELDS = {
    "pupil": (
        *("first_name", "last_name", "birth_date", "phone", "high_school", "school_entry", "level", "class_name"),
        *("bachelor_type", "series", "post_bachelor_level", "has_disability"),
        *("consent_high_school_sees_immersions", "consent_name_visible_to_registrants"),
    ),
    "student": ("birth_date", "phone", "institution", "level", "origin_bachelor_type"),
    "visitor": ("first_name", "last_name", "birth_date", "phone", "visitor_type", "motivation"),
}
#: A change of one of these after validation needs a new validation.
SIGNIFICANT_FIELDS = {
    "pupil": ("first_name", "last_name", "birth_date", "high_school", "school_entry", "level"),
    "student": (),
    "visitor": ("first_name", "last_name", "birth_date", "visitor_type"),
}
USER_FIELDS = ("first_name", "last_name")
IDENTITY_FIELDS = ("first_name", "last_name", "birth_date")
#: Logged as changed, without their values: sensitive (disability) or free text about the person.
HIDDEN_IN_LOG = ("has_disability", "motivation")


class RecordError(Exception):
    """A workflow step that is not possible now; the message is for the person."""


def kind_of(record):
    for kind, model in KIND_MODELS.items():
        if isinstance(record, model):
            return kind
    raise TypeError(f"{type(record).__name__} is not a record")


def ensure_record(site, user, role):
    """The person's record of this kind on this site, created (with the role) if missing.

    Idempotent and safe against double submits: a concurrent creation is read back.
    """
    model = RECORD_KINDS[role]
    try:
        with transaction.atomic():
            RoleAssignment.objects.get_or_create(site=site, user=user, role=role)
            record, created = model.objects.get_or_create(site=site, user=user)
            if created:
                log_action("records.record.created", site=site, actor=user, obj=record, subject=user)
    except IntegrityError:
        record = model.objects.get(site=site, user=user)
    return record


def choose_profile(site, user, kind):
    """A person with no registrant role on this site becomes a pupil or a visitor here.

    Staff of the site do not get a record; a person who already has a profile keeps it (the
    call then returns their existing record). Opening a profile is a sign-up on this site:
    it follows the sign-in window of the university year.
    """
    if kind not in CHOOSABLE_KINDS:
        raise RecordError(_("Choose a profile among those offered."))
    actor = policy.actor_for(user, site)
    existing = actor.roles & policy.REGISTRANT_ROLES
    if existing:
        role = sorted(existing)[0]
        return ensure_record(site, user, role)
    if actor.is_staff:
        raise RecordError(_("Your account has a staff role on this site: it cannot also hold a registrant record."))
    if not signin_window(site).is_open:
        raise RecordError(_("Registrations of new people are closed on this site for now."))
    record = ensure_record(site, user, KIND_ROLES[kind])
    user.__dict__.pop("_policy_actors", None)  # the roles changed
    return record


# --- Rules of a complete record --------------------------------------------------------


def age_on(birth_date, today=None):
    today = today or timezone.localdate()
    years = today.year - birth_date.year
    return years - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _check_birth_date(kind, birth_date, problems):
    if birth_date is None:
        problems["birth_date"] = _("Give your birth date.")
        return
    if not isinstance(birth_date, dt.date):
        problems["birth_date"] = _("Enter a valid date.")
        return
    low, high = AGE_BOUNDS[kind]
    age = age_on(birth_date)
    if not low <= age <= high:
        message = _("This birth date gives an age of %(age)s: it should be between %(low)s and %(high)s.")
        problems["birth_date"] = message % {"age": age, "low": low, "high": high}


def _check_phone(phone, problems):
    digits = sum(ch.isdigit() for ch in phone or "")
    if phone and (not PHONE_PATTERN.match(phone) or not 6 <= digits <= 15):
        problems["phone"] = _("Enter a phone number with digits only (spaces, dots, dashes and a leading + allowed).")


def record_problems(kind, data, *, identity_locked=False):
    """What is missing or inconsistent in ``data`` for a complete record: {field: message}.

    ``data`` holds model instances for foreign keys and a list for ``specialities``.
    Identity fields are not checked when they are locked (they come from EduConnect).
    """
    problems = {}
    if kind != "student" and not identity_locked:
        for name in USER_FIELDS:
            if not (data.get(name) or "").strip():
                problems[name] = _("This field is required.")
    if not identity_locked:
        _check_birth_date(kind, data.get("birth_date"), problems)
    _check_phone(data.get("phone"), problems)
    if kind == "pupil":
        _pupil_problems(data, problems)
    elif kind == "student":
        for name in ("institution", "level", "origin_bachelor_type"):
            if data.get(name) is None:
                problems[name] = _("This field is required.")
    else:
        if data.get("visitor_type") is None:
            problems["visitor_type"] = _("This field is required.")
        if not (data.get("motivation") or "").strip():
            problems["motivation"] = _("Tell us in a few words why you want to take part.")
    return problems


def _pupil_problems(data, problems):
    if data.get("high_school") is None and data.get("school_entry") is None:
        problems["high_school"] = _("Choose your high school.")
    elif data.get("high_school") is not None and data.get("school_entry") is not None:
        problems["high_school"] = _("Choose one high school only.")
    level = data.get("level")
    bachelor = data.get("bachelor_type")
    if level is None:
        problems["level"] = _("This field is required.")
    if bachelor is None:
        problems["bachelor_type"] = _("This field is required.")
    if bachelor is not None and bachelor.kind == BachelorType.Kind.TECHNOLOGICAL and data.get("series") is None:
        problems["series"] = _("Choose the series of your technological baccalaureate.")
    needs_specialities = (
        bachelor is not None and bachelor.kind == BachelorType.Kind.GENERAL and level is not None
    ) and level.requires_speciality
    specialities = list(data.get("specialities") or [])
    if needs_specialities and not specialities:
        problems["specialities"] = _("Choose your specialities.")
    elif needs_specialities and len(specialities) > MAX_SPECIALITIES:
        problems["specialities"] = _("Choose at most %(count)s specialities.") % {"count": MAX_SPECIALITIES}
    if level is not None and level.is_post_bachelor and data.get("post_bachelor_level") is None:
        problems["post_bachelor_level"] = _("Choose your post-bac level.")


def _normalise_pupil(data):
    """Drop the answers that do not apply (series without a technological bac, and so on)."""
    bachelor, level = data.get("bachelor_type"), data.get("level")
    technological = bachelor is not None and bachelor.kind == BachelorType.Kind.TECHNOLOGICAL
    general = bachelor is not None and bachelor.kind == BachelorType.Kind.GENERAL
    if not technological:
        data["series"] = None
    if not (general and level is not None and level.requires_speciality):
        data["specialities"] = []
    if not (level is not None and level.is_post_bachelor):
        data["post_bachelor_level"] = None


def is_complete(record):
    """Is the stored record complete (the same rules as when saving)?"""
    kind = kind_of(record)
    data = {name: getattr(record.user if name in USER_FIELDS else record, name) for name in EDITABLE_FIELDS[kind]}
    if kind == "pupil":
        data["specialities"] = list(record.specialities.all()) if record.pk else []
    return not record_problems(kind, data, identity_locked=getattr(record, "identity_locked", False))


# --- The person saves their record -----------------------------------------------------


@dataclass(frozen=True)
class SaveOutcome:
    record: object
    previous_status: str
    needs_revalidation: bool = False

    @property
    def status_changed(self):
        return self.previous_status != self.record.status


def _snapshot(record, kind):
    """The significant values of a record (foreign keys as ids), to tell whether they changed."""
    return {
        name: getattr(record.user, name) if name in USER_FIELDS else getattr(record, _attname(name))
        for name in SIGNIFICANT_FIELDS[kind]
    }


def _attname(name):
    return name if name == "birth_date" else f"{name}_id"


def _logged_values(record, kind, specialities=None):
    """What the log compares before and after a save: the editable fields, specialities, status."""
    values = {name: getattr(record.user if name in USER_FIELDS else record, name) for name in EDITABLE_FIELDS[kind]}
    if kind == "pupil":
        chosen = record.specialities.all() if specialities is None else specialities
        values["specialities"] = sorted(chosen, key=lambda speciality: speciality.pk)
    values["status"] = record.status
    return values


def _log_save(site, user, record, kind, before, specialities):
    after = _logged_values(record, kind, specialities)
    data = changes(before, after, hidden=HIDDEN_IN_LOG)
    if record.status == RecordStatus.VALIDATED and before["status"] != RecordStatus.VALIDATED:
        action, data = "records.record.validated", {**data, "automatic": True}
    elif record.status in PENDING_STATUSES and before["status"] != record.status:
        action = "records.record.submitted"
    elif data:
        action = "records.record.changed"
    else:
        return  # saved as it was
    log_action(action, site=site, actor=user, obj=record, subject=record.user, data=data)


@transaction.atomic
def save_record(site, user, record, data):
    """Save the person's own record from cleaned ``data`` and move its status. Returns a SaveOutcome.

    Raises ValidationError ({field: message}) when the data do not make a complete record.
    """
    own = record.site_id == site.pk and record.user_id == user.pk
    if not own or not policy.can(user, policy.Action.CHANGE, record, site):
        raise PermissionDenied
    kind = kind_of(record)
    model = type(record)
    model.objects.select_for_update().filter(pk=record.pk).values_list("pk", flat=True).first()
    relations = [
        name for name in EDITABLE_FIELDS[kind] if name not in USER_FIELDS and model._meta.get_field(name).is_relation
    ]
    record = model.objects.select_related("user", *relations).get(pk=record.pk)
    logged_before = _logged_values(record, kind)
    locked = getattr(record, "identity_locked", False)
    data = {name: data.get(name) for name in EDITABLE_FIELDS[kind]} | (
        {"specialities": list(data.get("specialities") or [])} if kind == "pupil" else {}
    )
    if locked:
        for name in IDENTITY_FIELDS:
            data[name] = getattr(record.user if name in USER_FIELDS else record, name)
    for name in ("first_name", "last_name", "phone", "class_name", "motivation"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    problems = record_problems(kind, data, identity_locked=locked)
    if problems:
        raise ValidationError(problems)
    if kind == "pupil":
        _normalise_pupil(data)

    before = _snapshot(record, kind)
    previous_status = record.status
    user_changed = False
    for name, value in data.items():
        if name == "specialities":
            continue
        if name in USER_FIELDS:
            if getattr(record.user, name) != value:
                setattr(record.user, name, value)
                user_changed = True
        else:
            setattr(record, name, value)
    if user_changed:
        record.user.save(update_fields=list(USER_FIELDS))
    significant = _snapshot(record, kind) != before

    now = timezone.now()
    needs_revalidation = False
    if record.status == RecordStatus.TO_COMPLETE and kind == "student":
        record.status = RecordStatus.VALIDATED
        record.submitted_at = record.validated_at = now
        record.validated_by = None
    elif record.status in (RecordStatus.TO_COMPLETE, RecordStatus.REJECTED):
        record.status = RecordStatus.TO_VALIDATE
        record.submitted_at = now
    elif record.status == RecordStatus.VALIDATED and significant and kind != "student":
        record.status = RecordStatus.TO_REVALIDATE
        record.submitted_at = now
        needs_revalidation = True
    record.save()
    if kind == "pupil":
        record.specialities.set(data["specialities"])
    _log_save(site, user, record, kind, logged_before, data.get("specialities"))
    if needs_revalidation:
        _notify("record_to_revalidate", record)
    return SaveOutcome(record=record, previous_status=previous_status, needs_revalidation=needs_revalidation)


# --- Validators' decisions ---------------------------------------------------------------


def _notify(key, record, **context):
    transaction.on_commit(
        lambda: send_message(
            key,
            to=record.user,
            site=record.site,
            context={"record": record, "person": record.user, **context},
        )
    )


def _locked(site, record):
    """The record read again under a row lock, with what the policy needs (one statement: only
    the record's row is locked, not the joined rows)."""
    model = type(record)
    related = ("user", "site", "high_school") if model is PupilRecord else ("user", "site")
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=record.pk, site=site)


def _check_may_validate(by, record, site):
    if not policy.can(by, policy.Action.VALIDATE, record, site):
        raise PermissionDenied


def _log_decision(action, site, by, record, previous, **details):
    data = {**changes({"status": previous}, {"status": record.status}), **details}
    log_action(action, site=site, actor=by, obj=record, subject=record.user, data=data)


@transaction.atomic
def validate_record(site, by, record):
    record = _locked(site, record)
    _check_may_validate(by, record, site)
    if record.status not in PENDING_STATUSES:
        raise RecordError(_("Only a record waiting for validation can be validated."))
    previous = record.status
    record.status = RecordStatus.VALIDATED
    record.validated_at = timezone.now()
    record.validated_by = by
    record.save(update_fields=["status", "validated_at", "validated_by", "updated_at"])
    _log_decision("records.record.validated", site, by, record, previous)
    _notify("record_validated", record)
    return record


@transaction.atomic
def reject_record(site, by, record, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is rejected: the person will read it.")})
    if len(reason) > MAX_REASON_LENGTH:
        message = _("Keep the reason under %(count)s characters.") % {"count": MAX_REASON_LENGTH}
        raise ValidationError({"reason": message})
    record = _locked(site, record)
    _check_may_validate(by, record, site)
    if record.status not in PENDING_STATUSES:
        raise RecordError(_("Only a record waiting for validation can be rejected."))
    previous = record.status
    record.status = RecordStatus.REJECTED
    record.rejected_at = timezone.now()
    record.rejection_reason = reason
    record.save(update_fields=["status", "rejected_at", "rejection_reason", "updated_at"])
    _log_decision("records.record.rejected", site, by, record, previous, reason=reason)
    _notify("record_rejected", record, reason=reason)
    return record


@transaction.atomic
def undo_rejection(site, by, record):
    """Back to "to validate": the rejection was a mistake. The person is not notified."""
    record = _locked(site, record)
    _check_may_validate(by, record, site)
    if record.status != RecordStatus.REJECTED:
        raise RecordError(_("This record is not rejected."))
    record.status = RecordStatus.TO_VALIDATE
    record.rejected_at = None
    record.rejection_reason = ""
    record.save(update_fields=["status", "rejected_at", "rejection_reason", "updated_at"])
    _log_decision("records.rejection.cancelled", site, by, record, RecordStatus.REJECTED)
    return record


@dataclass
class BulkOutcome:
    validated: list = field(default_factory=list)
    ignored: list = field(default_factory=list)


def parse_record_key(key):
    """ "pupil:12" -> ("pupil", 12); None for anything else."""
    kind, _sep, pk = str(key).partition(":")
    if kind not in KIND_MODELS or not pk.isdigit() or len(pk) > 18:
        return None
    return kind, int(pk)


@transaction.atomic
def bulk_validate(site, by, keys):
    """Validate every pending record of ``keys`` ("kind:id") that ``by`` decides on.

    Keys that are malformed, unknown, not pending or outside the validator's scope are
    ignored and reported, never validated.
    """
    actor = policy.actor_for(by, site)
    outcome = BulkOutcome()
    wanted = {}
    for key in dict.fromkeys(keys):
        parsed = parse_record_key(key)
        if parsed is None:
            outcome.ignored.append(str(key)[:40])
        else:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    now = timezone.now()
    for kind, ids in wanted.items():
        model = KIND_MODELS[kind]
        scope = policy.record_validation_filter(actor, model)
        candidates = model.objects.filter(site=site, pk__in=ids, status__in=PENDING_STATUSES).filter(scope)
        in_scope = list(candidates.values_list("pk", flat=True))
        # Lock and read by primary key in one statement (only the records' rows are locked, not
        # the scope's joined rows): a record decided meanwhile is no longer pending.
        related = ("user", "site", "high_school") if model is PupilRecord else ("user", "site")
        locked = model.objects.select_for_update(of=("self",)).filter(pk__in=in_scope, status__in=PENDING_STATUSES)
        records = [r for r in locked.select_related(*related) if policy.can(actor, policy.Action.VALIDATE, r, site)]
        model.objects.filter(pk__in=[r.pk for r in records]).update(
            status=RecordStatus.VALIDATED, validated_at=now, validated_by=by, updated_at=now
        )
        for record in records:
            previous = record.status
            record.status, record.validated_at, record.validated_by = RecordStatus.VALIDATED, now, by
            _log_decision("records.record.validated", site, by, record, previous, bulk=True)
            _notify("record_validated", record)
        done = {r.pk for r in records}
        outcome.validated.extend(records)
        outcome.ignored.extend(f"{kind}:{pk}" for pk in sorted(ids - done))
    return outcome
