"""Write side of the yearly cycle: annual statistics, the export archive and the purge.

Each step leaves its row in the action log: figures computed or frozen, a dry run, a purge
requested, finished (with its counts) or failed, an archive downloaded. The log itself is
never purged: before the purged registrants' data go, their names in the site's log are
replaced by pseudonyms (in every site's log for the accounts deleted), see
:func:`apps.privacy.pseudonyms.pseudonymise_people`.
"""

import csv
import io
import logging
import uuid
import zipfile

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.accounts.models import RoleAssignment
from apps.audit.services import log_action
from apps.catalogue.models import Slot
from apps.privacy.pseudonyms import pseudonymise_people
from apps.privacy.userdata import delete_stored_files_on_commit, stored_files_deleted_with
from apps.registrations.models import GroupRegistration, Registration
from apps.tenancy.scoping import platform_job

from .models import AnnualStatistics, PurgeRun
from .selectors import KIND_MODELS, PURGED_KINDS, RECORD_MODELS, compute_figures, plan_samples, purge_is_due, purge_plan

logger = logging.getLogger(__name__)

#: Steps of a real purge, for its progress: the archive, the statistics, then each kind.
STEPS = ("archive", "statistics", *PURGED_KINDS)
BATCH = 500


class PurgeRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Annual statistics -----------------------------------------------------------------


@transaction.atomic
def refresh_statistics(site, year, *, by=None):
    """Compute (again) a year's figures; frozen figures are never recomputed. Returns the row."""
    stats = AnnualStatistics.objects.filter(site=site, year=year).first()
    if stats is not None and stats.frozen_at is not None:
        return stats
    figures, now = compute_figures(site, year), timezone.now()
    if stats is None:
        stats = AnnualStatistics.objects.create(site=site, year=year, figures=figures, computed_at=now)
    else:
        stats.figures, stats.computed_at = figures, now
        stats.save(update_fields=["figures", "computed_at"])
    totals = figures.get("totals", {})
    data = {"registrations": totals.get("registrations"), "slots": totals.get("slots")}
    log_action("yearly.statistics.computed", site=site, actor=by, obj=stats, data=data)
    return stats


@transaction.atomic
def freeze_statistics(site, year):
    """Compute the figures a last time (unless already frozen) and freeze them."""
    stats = refresh_statistics(site, year)
    if stats.frozen_at is None:
        stats.frozen_at = timezone.now()
        stats.save(update_fields=["frozen_at"])
        log_action("yearly.statistics.frozen", site=site, obj=stats)
    return stats


# --- Export archive ------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv(header, rows):
    """CSV text with a BOM (for Excel), cells safe against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _offer(slot):
    return slot.course.label if slot.course_id else slot.event.label


def archive_files(plan):
    """(file name, CSV bytes) of everything the purge deletes that is worth keeping a copy of."""
    site = plan.site
    slots = Slot.objects.filter(site=site, pk__in=plan.ids["slots"]).select_related("course", "event", "period")
    yield (
        "slots.csv",
        _csv(
            [_("Id"), _("Date"), _("Start"), _("End"), _("Offer"), _("Period"), _("Place"), _("Individual places"),
             _("Individual places taken"), _("Group places"), _("Group places taken"),
             _("Published"), _("Cancelled on")],
            (
                [s.pk, s.date, s.start_time, s.end_time, _offer(s), s.period.label, s.get_place_display(),
                 s.individual_places, s.individual_places_taken, s.group_places, s.group_places_taken,
                 s.published, s.cancelled_at]
                for s in slots.order_by("date", "start_time", "pk")
            ),
        ),
    )  # fmt: skip
    registrations = Registration.objects.filter(site=site, pk__in=plan.ids["registrations"]).select_related(
        "person", "slot__course", "slot__event"
    )
    yield (
        "registrations.csv",
        _csv(
            [_("Id"), _("Slot"), _("Date"), _("Offer"), _("Last name"), _("First name"), _("E-mail"), _("Status"),
             _("Attendance"), _("Registered on"), _("Cancelled on")],
            (
                [r.pk, r.slot_id, r.slot.date, _offer(r.slot), r.person.last_name, r.person.first_name,
                 r.person.email, r.get_status_display(), r.get_attendance_display(), r.registered_at, r.cancelled_at]
                for r in registrations.order_by("slot__date", "pk")
            ),
        ),
    )  # fmt: skip
    groups = GroupRegistration.objects.filter(site=site, pk__in=plan.ids["group_registrations"]).select_related(
        "high_school", "slot__course", "slot__event"
    )
    yield (
        "group_registrations.csv",
        _csv(
            [_("Id"), _("Slot"), _("Date"), _("Offer"), _("High school"), _("Pupils"), _("Accompanying adults"),
             _("Contact name"), _("Contact e-mail"), _("Contact phone"), _("Status"), _("Registered on")],
            (
                [g.pk, g.slot_id, g.slot.date, _offer(g.slot), g.high_school.label, g.pupils_count,
                 g.accompanying_adults, g.contact_name, g.contact_email, g.contact_phone, g.get_status_display(),
                 g.registered_at]
                for g in groups.order_by("slot__date", "pk")
            ),
        ),
    )  # fmt: skip
    for kind, model in RECORD_MODELS.items():
        records = model.objects.filter(site=site, pk__in=plan.ids[f"{kind}_records"]).select_related("user")
        extra = {
            "pupil": ["high_school__label", "school_entry__label", "level__label", "class_name"],
            "student": ["institution__label", "level__label"],
            "visitor": ["visitor_type__label"],
        }[kind]
        header = [_("Id"), _("Last name"), _("First name"), _("E-mail"), _("Birth date"), _("Status"),
                  _("Created on"), _("Validated on")] + {
            "pupil": [_("High school"), _("High school (national directory)"), _("Level"), _("Class")],
            "student": [_("Home institution"), _("Level")],
            "visitor": [_("Visitor type")],
        }[kind]  # fmt: skip
        values = {row["pk"]: row for row in records.values("pk", *extra)}
        yield (
            f"{kind}_records.csv",
            _csv(
                header,
                (
                    [r.pk, r.user.last_name, r.user.first_name, r.user.email, r.birth_date, r.get_status_display(),
                     r.created_at, r.validated_at, *(values[r.pk][name] for name in extra)]
                    for r in records.order_by("pk")
                ),
            ),
        )  # fmt: skip


def write_archive(run, plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in archive_files(plan):
            archive.writestr(name, content)
    name = f"{run.site_id}/{slugify(plan.year.label) or 'year'}-{uuid.uuid4().hex[:12]}.zip"
    run.archive.save(name, ContentFile(buffer.getvalue()), save=False)
    PurgeRun.objects.filter(pk=run.pk).update(archive=run.archive.name)


# --- The purge -----------------------------------------------------------------------------


@transaction.atomic
def dry_run(site, year, *, by=None):
    """List what purging the year would delete, without deleting anything. Returns the PurgeRun."""
    now = timezone.now()
    plan = purge_plan(site, year)
    run = PurgeRun.objects.create(
        site=site,
        year=year,
        requested_by=by,
        requested_by_name=by.get_full_name() if by else "",
        dry_run=True,
        status=PurgeRun.Status.DONE,
        progress=100,
        counts=plan.counts,
        samples=plan_samples(plan),
        started_at=now,
        finished_at=timezone.now(),
    )
    log_action("yearly.purge.simulated", site=site, actor=by, obj=run, data={"year": year, "counts": plan.counts})
    return run


def request_purge(site, year, *, by=None):
    """Record the request of the real purge of a year, a pending run; its caller runs it:
    :func:`.tasks.queue_purge` (the page) has a worker run it once committed, the management
    command runs it at once (:func:`execute_purge`)."""
    if not purge_is_due(year):
        raise PurgeRefused(_("This year cannot be purged before its purge date."))
    if PurgeRun.objects.filter(site=site, year=year, dry_run=False, status__in=["pending", "running"]).exists():
        raise PurgeRefused(_("A purge of this year is already under way."))
    try:
        with transaction.atomic():
            run = PurgeRun.objects.create(
                site=site,
                year=year,
                requested_by=by,
                requested_by_name=by.get_full_name() if by else "",
                dry_run=False,
            )
            log_action("yearly.purge.requested", site=site, actor=by, obj=run, data={"year": year})
    except IntegrityError as error:  # two requests at once
        raise PurgeRefused(_("A purge of this year is already under way.")) from error
    return run


def _progress(run, step, **fields):
    index = STEPS.index(step)
    PurgeRun.objects.filter(pk=run.pk).update(step=step, progress=int(100 * index / len(STEPS)), **fields)


def _delete_kind(plan, kind):
    """Delete the planned rows of one kind (with their files); returns how many went."""
    model, pks, site = KIND_MODELS[kind], plan.ids[kind], plan.site
    deleted = 0
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        with transaction.atomic():
            if kind == "accounts":
                with platform_job():
                    still_roleless = model.objects.filter(pk__in=batch).exclude(
                        pk__in=RoleAssignment.objects.values("user_id")
                    )
                    users = list(still_roleless)
                    files = stored_files_deleted_with(users)
                    count = model.objects.filter(pk__in=[u.pk for u in users]).delete()[1].get(model._meta.label, 0)
                delete_stored_files_on_commit(files)
            else:
                rows = model.objects.filter(site=site, pk__in=batch)
                if kind == "group_registrations":
                    field = GroupRegistration._meta.get_field("class_list")
                    names = [name for name in rows.values_list("class_list", flat=True) if name]
                    delete_stored_files_on_commit([(field.storage, name) for name in names])
                count = rows.delete()[1].get(model._meta.label, 0)
        deleted += count
    return deleted


def execute_purge(run):
    """Run a queued real purge: archive, freeze the statistics, then delete kind by kind.

    Each kind is deleted in its own transactions, so the progress is visible meanwhile and a
    failure leaves a consistent state; running the purge again deletes only what is left.
    """
    site, year = run.site, run.year
    PurgeRun.objects.filter(pk=run.pk).update(status=PurgeRun.Status.RUNNING, started_at=timezone.now(), error="")
    counts = {}
    try:
        plan = purge_plan(site, year)
        _progress(run, "archive")
        write_archive(run, plan)
        _progress(run, "statistics")
        freeze_statistics(site, year)
        pseudonymised = None
        for kind in PURGED_KINDS:
            _progress(run, kind, counts=counts)
            if kind == "accounts":  # before the accounts go: the log's links to them are needed
                pseudonymised = pseudonymise_registrants(plan)
            counts[kind] = _delete_kind(plan, kind)
    except Exception as error:  # recorded on the run, shown to the operator
        logger.exception("purge %s of %s failed", run.pk, site)
        message = str(error) or error.__class__.__name__
        with transaction.atomic():
            PurgeRun.objects.filter(pk=run.pk).update(
                status=PurgeRun.Status.FAILED, counts=counts, error=message, finished_at=timezone.now()
            )
            data = {"year": year, "counts": counts, "error": message[:500]}
            log_action("yearly.purge.failed", site=site, obj=run, data=data)
    else:
        with transaction.atomic():
            PurgeRun.objects.filter(pk=run.pk).update(
                status=PurgeRun.Status.DONE, progress=100, step="", counts=counts, finished_at=timezone.now()
            )
            data = {"year": year, "counts": counts, "log_entries_pseudonymised": pseudonymised}
            log_action("yearly.purge.finished", site=site, obj=run, data=data)
    run.refresh_from_db()
    return run


def pseudonymise_registrants(plan):
    """Replace the purged registrants' names in the log by pseudonyms; returns how many entries.

    In this site's log for those whose account stays (for another site, or another role), in
    every site's log for those whose account the purge deletes. Staff keep their name on what
    they did to others. The entries stay: who did what and when is kept.
    """
    deleted = set(plan.ids["accounts"])
    ids = sorted(plan.registrant_ids)
    count = 0
    for start in range(0, len(ids), BATCH):
        with platform_job():
            users = list(get_user_model().objects.filter(pk__in=ids[start : start + BATCH]))
        count += pseudonymise_people([user for user in users if user.pk not in deleted], site=plan.site)
        count += pseudonymise_people([user for user in users if user.pk in deleted])
    return count


@transaction.atomic
def record_archive_download(run, *, site, actor):
    """Log that ``actor`` downloads a purge's archive (the names of the purged registrants)."""
    return log_action("yearly.archive.downloaded", site=site, actor=actor, obj=run, data={"year": run.year})
