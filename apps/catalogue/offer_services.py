"""Write side of the back office for courses and events, and their speakers.

Each function checks the rights itself through :mod:`apps.accounts.policy` (whatever the
caller checked), validates the business rules, and writes in one transaction. Bad input
raises ValidationError (nothing changed), a forbidden write PermissionDenied. Each write leaves
its row in the action log (``catalogue.course.*`` / ``catalogue.event.*``) in that transaction.
"""

import logging
from smtplib import SMTPException

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import Action, Actor, can
from apps.audit.services import changes, log_action, snapshot
from apps.notifications.services import send_message
from apps.organisations.models import Establishment, HighSchool
from apps.staff import services as staff_services

from . import hooks, offer_selectors
from .models import Course, Event

logger = logging.getLogger(__name__)

COURSE_FIELDS = ("training", "label", "description", "url", "published", "publication_start", "publication_end")
EVENT_FIELDS = (
    "event_type",
    "label",
    "description",
    "establishment",
    "structure",
    "high_school",
    "published",
    "publication_start",
    "publication_end",
)


def _log(site, verb, obj, actor, data=None):
    """``catalogue.course.<verb>`` or ``catalogue.event.<verb>``, done by the policy actor."""
    person = actor.user if isinstance(actor, Actor) else actor
    log_action(f"{obj._meta.label_lower}.{verb}", site=site, actor=person, obj=obj, data=data)


def _check_site(site, *objects):
    for obj in objects:
        if obj is not None and obj.site_id != site.pk:
            raise PermissionDenied


def _check_window(obj):
    if obj.publication_start and obj.publication_end and obj.publication_end < obj.publication_start:
        raise ValidationError({"publication_end": _("The end of publication comes before its start.")})


def _check_course(site, course):
    _check_site(site, course.training)
    _check_window(course)
    if not course.training.is_active and (course.pk is None or "training" in getattr(course, "_changed", ())):
        raise ValidationError({"training": _("This training is no longer active.")})
    twins = Course.objects.filter(site=site, training=course.training, label__iexact=course.label.strip())
    if twins.exclude(pk=course.pk).exists():
        raise ValidationError({"label": _("This training already has a course with this name.")})


def _check_event(site, event):
    _check_site(site, event.event_type, event.establishment, event.structure, event.high_school)
    _check_window(event)
    if (event.establishment_id is None) == (event.high_school_id is None):
        raise ValidationError(_("An event belongs to an establishment or to a host high school, not both."))
    if event.high_school_id and event.structure_id:
        raise ValidationError({"structure": _("An event of a high school has no structure.")})
    if event.high_school_id and not event.high_school.hosts_post_bac_trainings:
        raise ValidationError({"high_school": _("This high school does not host post-bac trainings.")})
    if event.structure_id and event.structure.establishment_id != event.establishment_id:
        raise ValidationError({"structure": _("This structure belongs to another establishment.")})


def _save(obj, check, site):
    obj.label = obj.label.strip()
    check(site, obj)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:  # a twin created in the meantime, or a constraint
        raise ValidationError(_("These values conflict with another row; nothing was saved.")) from error
    return obj


def create_course(actor, site, **fields):
    course = Course(site=site, **{name: fields[name] for name in COURSE_FIELDS if name in fields})
    if not can(actor, Action.ADD, course, site):
        raise PermissionDenied
    with transaction.atomic():
        _save(course, _check_course, site)
        _log(site, "created", course, actor, snapshot(course, COURSE_FIELDS))
    logger.info("course %s created on site %s by user %s", course.pk, site.pk, actor.user_id)
    return course


def create_event(actor, site, **fields):
    event = Event(site=site, **{name: fields[name] for name in EVENT_FIELDS if name in fields})
    if not can(actor, Action.ADD, event, site):
        raise PermissionDenied
    with transaction.atomic():
        _save(event, _check_event, site)
        _log(site, "created", event, actor, snapshot(event, EVENT_FIELDS))
    logger.info("event %s created on site %s by user %s", event.pk, site.pk, actor.user_id)
    return event


def _update(actor, site, obj, names, check, fields):
    if obj.site_id != site.pk or not can(actor, Action.CHANGE, obj, site):
        raise PermissionDenied
    obj._changed = {n for n in names if n in fields and getattr(obj, n) != fields[n]}
    before = snapshot(obj, names)
    for name in names:
        if name in fields:
            setattr(obj, name, fields[name])
    # Moving it elsewhere needs the right to change it there too.
    if not can(actor, Action.CHANGE, obj, site):
        raise PermissionDenied
    with transaction.atomic():
        _save(obj, check, site)
        data = changes(before, obj, names)
        if data:
            _log(site, "changed", obj, actor, data)
    return obj


def update_course(actor, site, course, **fields):
    return _update(actor, site, course, COURSE_FIELDS, _check_course, fields)


def update_event(actor, site, event, **fields):
    return _update(actor, site, event, EVENT_FIELDS, _check_event, fields)


def set_published(actor, site, obj, published):
    if obj.site_id != site.pk or not can(actor, Action.CHANGE, obj, site):
        raise PermissionDenied
    with transaction.atomic():
        was_published = type(obj).objects.filter(site=site, pk=obj.pk, published=True).exists()
        type(obj).objects.filter(site=site, pk=obj.pk).update(published=bool(published))
        obj.published = bool(published)
        if was_published != obj.published:
            _log(site, "published" if obj.published else "unpublished", obj, actor)
    if published and not was_published and isinstance(obj, Course):
        # Its published slots become visible: people waiting for a slot of this course hear of it.
        first = obj.slots.filter(published=True, cancelled_at__isnull=True, date__gte=timezone.localdate()).first()
        if first is not None:
            hooks.course_slot_visible.send(sender=Course, slot=first)
    return obj


def delete_offer(actor, site, obj):
    """Delete a course or an event that has no slot (slots are never deleted by the way)."""
    if obj.site_id != site.pk or not can(actor, Action.DELETE, obj, site):
        raise PermissionDenied
    message = _("It has slots: delete or move its slots first, or unpublish it.")
    if obj.slots.exists():
        raise ValidationError(message, code="has_slots")
    pk = obj.pk
    try:
        with transaction.atomic():
            _log(site, "deleted", obj, actor)
            obj.delete()
    except RestrictedError as error:
        raise ValidationError(message, code="has_slots") from error
    logger.info("%s %s deleted on site %s by user %s", type(obj).__name__, pk, site.pk, actor.user_id)


# --- Speakers ---------------------------------------------------------------------------


def _notify_added(site, obj, people):
    for person in people:
        try:
            send_message("offer_speaker_added", to=person, site=site, context={"person": person, "offer": obj})
        except (SMTPException, OSError):
            logger.exception("message offer_speaker_added to user %s could not be sent", person.pk)


def set_speakers(actor, site, obj, people, *, notify=True):
    """Make ``people`` the speakers of a course or event.

    Everyone must hold the speaker role on the owner establishment (or host high school).
    Someone removed leaves the upcoming slots of that course or event, never the past ones.
    People added are told by e-mail once the change is committed. The log row names who was
    added and who removed.
    """
    if obj.site_id != site.pk or not can(actor, Action.CHANGE, obj, site):
        raise PermissionDenied
    wanted = {person.pk: person for person in people}
    eligible = set(offer_selectors.eligible_speakers(site, obj).filter(pk__in=wanted).values_list("pk", flat=True))
    if set(wanted) - eligible:
        raise ValidationError(_("Only speakers of the establishment or high school can be chosen."), code="speaker")
    with transaction.atomic():
        speakers = {person.pk: person for person in obj.speakers.all()}
        current = set(speakers)
        removed, added = current - set(wanted), set(wanted) - current
        if removed:
            obj.speakers.remove(*removed)
            today = timezone.localdate()
            for slot in obj.slots.filter(date__gte=today, speakers__in=removed).distinct():
                slot.speakers.remove(*removed)
        if added:
            obj.speakers.add(*added)
        if added or removed:
            data = {
                "added": sorted((wanted[pk] for pk in added), key=str),
                "removed": sorted((speakers[pk] for pk in removed), key=str),
            }
            _log(site, "speakers_changed", obj, actor, data)
        if notify and added:
            new = [wanted[pk] for pk in added]
            transaction.on_commit(lambda: _notify_added(site, obj, new))
    logger.info("speakers of %s %s set by user %s", type(obj).__name__, obj.pk, actor.user_id)
    return added, removed


def may_invite_speakers(actor, site, obj):
    """May this person grant the speaker role where this course or event belongs?"""
    scope = offer_selectors.speaker_scope(obj)
    assignment = RoleAssignment(site=site, role=Role.SPEAKER, **scope)
    return can(actor, Action.CHANGE, obj, site) and can(actor, Action.GRANT, assignment, site)


def invite_speaker(actor, site, obj, *, email, first_name, last_name, method):
    """Invite a person as a speaker of the owner establishment (or host high school) and add
    them to this course or event. Reuses the staff invitation (account, role, e-mail); a
    person who already is a speaker there is simply added. Returns the staff Invitation or None.
    """
    if obj.site_id != site.pk or not may_invite_speakers(actor, site, obj):
        raise PermissionDenied
    scope = {
        name.removesuffix("_id"): _scope_object(site, name.removesuffix("_id"), pk)
        for name, pk in offer_selectors.speaker_scope(obj).items()
    }
    invitation = None
    try:
        invitation = staff_services.invite(
            actor,
            site,
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=Role.SPEAKER,
            method=method,
            **scope,
        )
        person = invitation.user
    except ValidationError as error:
        if getattr(error, "code", None) != "duplicate":
            raise
        person = (
            RoleAssignment.objects.filter(site=site, role=Role.SPEAKER, user__email__iexact=email.strip(), **scope)
            .get()
            .user
        )
    with transaction.atomic():
        if obj.speakers.filter(pk=person.pk).exists():
            return invitation
        obj.speakers.add(person)
        _log(site, "speaker_invited", obj, actor, {"person": person, "invited": invitation is not None})
        if invitation is None:  # already a speaker there: no invitation e-mail, so tell them
            transaction.on_commit(lambda: _notify_added(site, obj, [person]))
    logger.info(
        "user %s added to the speakers of %s %s by user %s", person.pk, type(obj).__name__, obj.pk, actor.user_id
    )
    return invitation


def _scope_object(site, name, pk):
    model = Establishment if name == "establishment" else HighSchool
    return model.objects.get(site=site, pk=pk)
