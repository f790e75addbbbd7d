"""Build the demo sites: "ImmerSup Alsace" (slug ``demo``) and "ImmerSup Lorraine" (``site2``).

:func:`load_demo` is idempotent: it finds every row by a natural key and creates only what
is missing, so running it again leaves the same rows (see :mod:`apps.demo.builders`). Sites
and host names are created under ``platform_job()``; each site's rows under ``for_site(site)``.
The whole run is one transaction: it either builds everything or nothing.

What the sites contain is plain data in :mod:`apps.demo.specs`. Besides the offer, each site
gets what the accounts work needs to be tried at once: confirmed accounts, records in every
status, a possible duplicate pair, attestation types and documents, the charter and the
sign-in methods (local accounts only).
"""

import random
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from apps.accounts.models import Role
from apps.catalogue.models import Slot
from apps.directories import services as directories
from apps.duplicates.models import DuplicateCandidate
from apps.records.models import KIND_MODELS, RecordStatus
from apps.referentials.services import seed_reference_data
from apps.registrations.models import Registration, Status
from apps.staff.selectors import current_charter
from apps.tenancy.scoping import for_site, platform_job

from .builders import Stats
from .builders.accounts import build_charter, build_sign_in_methods
from .builders.calendar import build_calendar
from .builders.documents import build_attestation_types, build_documents
from .builders.immersions import build_immersions
from .builders.offer import assign_speakers, build_offer
from .builders.organisations import build_organisations
from .builders.people import SharedPassword, build_people
from .builders.records import build_records
from .builders.sites import ensure_site
from .builders.slots import build_slots
from .specs import DEMO_PASSWORD, RANDOM_SEED, SPECS


@dataclass
class AccountRow:
    site: str
    url: str
    role: str
    email: str
    password: str
    hint: str = ""  # what the account shows


@dataclass
class SiteSummary:
    name: str
    slug: str
    url: str
    slots_created: int
    slots: int
    full: int
    remote: int
    restricted: int
    registrations: int
    records: dict = field(default_factory=dict)  # status ("to validate"...) -> number, all kinds together
    open_duplicates: int = 0
    charter: str = ""  # the version to sign, "" without a published charter


@dataclass
class DemoReport:
    sites: list = field(default_factory=list)  # [SiteSummary]
    accounts: list = field(default_factory=list)  # [AccountRow]
    directories: list = field(default_factory=list)  # [ImportReport], empty when already loaded
    reference_data: dict = field(default_factory=dict)  # slug -> seed_reference_data() summary
    stats: Stats = field(default_factory=Stats)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0


def load_demo(*, reset_passwords=False, today=None):
    """Create or complete the demo sites; returns a :class:`DemoReport`.

    ``reset_passwords`` gives the documented password back to existing demo accounts.
    ``today`` (default: ``timezone.localdate()``) anchors the calendar and the slots.
    """
    started = time.monotonic()
    today = today or timezone.localdate()
    report = DemoReport()
    password = SharedPassword(DEMO_PASSWORD)
    with platform_job(), transaction.atomic():
        if directories.directories_need_loading():
            report.directories = directories.load_default_directories()
        for spec in SPECS:
            site = ensure_site(spec, report.stats, report.warnings)
            with for_site(site):
                report.reference_data[site.slug] = seed_reference_data(site)
                _build_site(site, spec, report, password, today, reset_passwords)
    report.seconds = time.monotonic() - started
    return report


def _build_site(site, spec, report, password, today, reset_passwords):
    stats = report.stats
    calendar = build_calendar(site, spec, stats, today)
    orgs = build_organisations(site, spec, stats, calendar)
    offer = build_offer(site, spec, stats, orgs)
    people = build_people(site, spec, stats, orgs, password, reset_passwords=reset_passwords)
    assign_speakers(offer, people)
    rng = random.Random(f"{RANDOM_SEED}:{site.slug}")
    created = build_slots(site, spec, stats, calendar, orgs, offer, people, rng, today)
    build_sign_in_methods(site, spec, stats)
    duplicates = DuplicateCandidate.objects.filter(site=site).count()
    records = build_records(site, spec, stats, orgs, people, today)
    stats.add(DuplicateCandidate, "created", DuplicateCandidate.objects.filter(site=site).count() - duplicates)
    build_attestation_types(site, spec, stats)
    build_documents(site, spec, stats, records, calendar, today)
    build_charter(site, spec, stats, orgs, people, report.warnings)
    build_immersions(site, stats, calendar, orgs, offer, people, today)
    report.sites.append(_summary(site, spec, created))
    report.accounts.extend(_account_rows(spec, people, orgs))


def restricted_slot_ids(site):
    """Ids of the slots of ``site`` with at least one restriction (one query per restriction list)."""
    ids = set()
    for name in Slot.RESTRICTION_FIELDS:
        through = Slot._meta.get_field(name).remote_field.through
        ids.update(through.objects.filter(slot__site=site).values_list("slot_id", flat=True))
    return ids


def _summary(site, spec, created):
    slots = Slot.objects.filter(site=site)
    return SiteSummary(
        name=site.name,
        slug=site.slug,
        url=spec["site"]["url"],
        slots_created=created,
        slots=slots.count(),
        full=slots.filter(individual_places__gt=0, individual_places_taken__gte=F("individual_places")).count(),
        remote=slots.filter(place=Slot.Place.REMOTE).count(),
        restricted=len(restricted_slot_ids(site)),
        registrations=Registration.objects.filter(site=site, status=Status.ACTIVE).count(),
        records=_record_counts(site),
        open_duplicates=DuplicateCandidate.objects.filter(site=site, status=DuplicateCandidate.Status.OPEN).count(),
        charter=getattr(current_charter(site), "version", ""),
    )


def _record_counts(site):
    counts = dict.fromkeys(RecordStatus.values, 0)
    for model in KIND_MODELS.values():
        for row in model.objects.filter(site=site).values("status").annotate(n=Count("pk")).order_by():
            counts[row["status"]] += row["n"]
    return {status.replace("_", " "): number for status, number in counts.items() if number}


def _role_label(item, orgs):
    if item.get("operator"):
        return "Platform operator (superuser, every site)"
    label = str(Role(item["role"]).label)
    target = None
    if "structure" in item:
        target = orgs.structures[item["structure"][1]].label
    elif "high_school" in item:
        target = orgs.high_schools[item["high_school"]].label
    elif "establishment" in item:
        target = orgs.establishments[item["establishment"]].label
    target = target or item.get("note")
    return f"{label} — {target}" if target else label


def _account_rows(spec, people, orgs):
    site_spec = spec["site"]
    rows = [
        AccountRow(
            site_spec["name"], site_spec["url"], _role_label(item, orgs), user.email, DEMO_PASSWORD, item.get("try", "")
        )
        for item, user in people.accounts
    ]
    fillers = [user for user in people.pupils if user is not people.by_key.get("pupil")]
    if fillers:
        emails = f"{fillers[0].email} … {fillers[-1].email.split('@')[0]}"
        rows.append(
            AccountRow(
                site_spec["name"],
                site_spec["url"],
                "Pupils filling the full slots",
                emails,
                DEMO_PASSWORD,
                spec.get("filler_hint", ""),
            )
        )
    return rows
