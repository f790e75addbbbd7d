"""Read side of records: a person's records, school search, the validators' list.

Every function runs a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, IntegerField, Value, When

from apps.accounts import policy
from apps.core.search import search_is_long_enough, text_filter
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.organisations.models import HighSchool

from .models import KIND_MODELS, PENDING_STATUSES, PupilRecord, RecordStatus

SEARCH_LIMIT = 20
PAGE_SIZE = 20
# --- A person's own records -----------------------------------------------------------------


def records_of(site, user):
    """The person's records on this site, pupils first (one query per kind)."""
    found = []
    related = {
        "pupil": ("high_school", "school_entry", "level", "bachelor_type", "series", "post_bachelor_level"),
        "student": ("institution", "level", "origin_bachelor_type"),
        "visitor": ("visitor_type",),
    }
    for kind, model in KIND_MODELS.items():
        queryset = model.objects.filter(site=site, user=user).select_related("user", *related[kind])
        if kind == "pupil":
            queryset = queryset.prefetch_related("specialities")
        found.extend(queryset)
    return found


def record_of(site, user, kind):
    model = KIND_MODELS[kind]
    queryset = model.objects.filter(site=site, user=user).select_related("user")
    return queryset.first()


def validating_body(record):
    """Who decides on this record: "high_school", "establishment" or "master"."""
    if isinstance(record, PupilRecord):
        if record.high_school_id and record.high_school.has_agreement():
            return "high_school"
        return "establishment"
    return "master"


# --- School and institution search ----------------------------------------------------------


@dataclass(frozen=True)
class SchoolOption:
    value: str  # "hs:<id>" for a partner high school, "uai:<UAI>" for the national directory
    label: str
    city: str
    uai: str
    is_partner: bool


def search_schools(site, query, limit=SEARCH_LIMIT):
    """Partner high schools of the site first, then other schools of the UAI directory. Two queries."""
    if not search_is_long_enough(query):
        return []
    partners = list(
        HighSchool.objects.filter(site=site, is_active=True)
        .filter(text_filter(query, ("label", "city", "uai")))
        .order_by("label", "city")[:limit]
    )
    options = [SchoolOption(f"hs:{h.pk}", h.label, h.city, h.uai, True) for h in partners]
    room = limit - len(options)
    if room > 0:
        partner_uais = HighSchool.objects.filter(site=site).values("uai")
        entries = (
            SchoolDirectoryEntry.objects.filter(text_filter(query, ("label", "city", "uai")))
            .exclude(uai__in=partner_uais)
            .order_by("label", "city")[:room]
        )
        options += [SchoolOption(f"uai:{e.uai}", e.label, e.city, e.uai, False) for e in entries]
    return options


def search_institutions(query, limit=SEARCH_LIMIT):
    """Higher-education institutions of the national directory. One query."""
    if not search_is_long_enough(query):
        return []
    entries = HigherEducationInstitution.objects.filter(text_filter(query, ("label", "city", "uai"))).order_by(
        "label", "city"
    )[:limit]
    return [SchoolOption(f"uai:{e.uai}", e.label, e.city, e.uai, False) for e in entries]


# --- The validators' list --------------------------------------------------------------------

_DETAIL_RELATED = {
    "pupil": ("user", "high_school", "school_entry", "level"),
    "student": ("user", "institution", "level"),
    "visitor": ("user", "visitor_type"),
}


@dataclass(frozen=True)
class PendingRow:
    kind: str
    record: object
    show_disability: bool

    @property
    def key(self):
        return f"{self.kind}:{self.record.pk}"

    @property
    def is_pending(self):
        return self.record.status in PENDING_STATUSES


@dataclass(frozen=True)
class PendingList:
    page: object
    rows: list
    counts: dict
    kinds: tuple
    total: int


def validatable_kinds(actor):
    """The kinds of record this actor may decide on (from the policy); empty for those who validate nothing."""
    models = policy.validatable_record_models(actor)
    return tuple(kind for kind, model in KIND_MODELS.items() if model in models)


def _scoped(actor, site, kind):
    model = KIND_MODELS[kind]
    return model.objects.filter(site=site).filter(policy.record_validation_filter(actor, model))


def pending_list(actor, site, *, status="", kind="", high_school=None, level=None, query="", page=1):
    """The records this actor decides on, waiting ones first, filtered and paginated.

    Queries: one count per kind, one count and one page query, then one per kind on the page.
    ``status`` is "" (all), "pending" or a RecordStatus value.
    """
    kinds = validatable_kinds(actor)
    counts = {value: 0 for value, _label in RecordStatus.choices}
    for k in kinds:
        for row in _scoped(actor, site, k).order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] += row["n"]
    if kind:
        kinds = tuple(k for k in kinds if k == kind)
    if high_school is not None or level is not None:
        kinds = tuple(k for k in kinds if k == "pupil")

    parts = []
    for k in kinds:
        queryset = _scoped(actor, site, k)
        if status == "pending":
            queryset = queryset.filter(status__in=PENDING_STATUSES)
        elif status:
            queryset = queryset.filter(status=status)
        if k == "pupil" and high_school is not None:
            queryset = queryset.filter(high_school=high_school)
        if k == "pupil" and level is not None:
            queryset = queryset.filter(level=level)
        if query:
            queryset = queryset.filter(text_filter(query, ("user__first_name", "user__last_name", "user__email")))
        parts.append(
            queryset.order_by()
            .annotate(
                row_kind=Value(k, output_field=CharField()),
                waiting=Case(
                    When(status__in=PENDING_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
                ),
                last=F("user__last_name"),
                first=F("user__first_name"),
            )
            .values("pk", "row_kind", "waiting", "submitted_at", "last", "first")
        )
    if not parts:
        paginator = Paginator([], PAGE_SIZE)
        page_obj = paginator.get_page(1)
        return PendingList(page_obj, [], counts, validatable_kinds(actor), 0)
    combined = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    combined = combined.order_by("waiting", "submitted_at", "last", "first", "row_kind", "pk")
    paginator = Paginator(combined, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    keys = [(row["row_kind"], row["pk"]) for row in page_obj.object_list]
    by_key = {}
    for k in {k for k, _pk in keys}:
        ids = [pk for kk, pk in keys if kk == k]
        for record in KIND_MODELS[k].objects.filter(pk__in=ids).select_related(*_DETAIL_RELATED[k]):
            by_key[(k, record.pk)] = record
    rows = []
    for key in keys:
        record = by_key.get(key)
        if record is not None:
            show = isinstance(record, PupilRecord) and policy.can(actor, policy.Action.VALIDATE, record, site)
            rows.append(PendingRow(kind=key[0], record=record, show_disability=show))
    return PendingList(page_obj, rows, counts, validatable_kinds(actor), paginator.count)


def record_for_review(site, kind, pk):
    """One record with what the review page shows (None when it is not on this site)."""
    model = KIND_MODELS[kind]
    related = {
        "pupil": (
            "user",
            "high_school",
            "school_entry",
            "level",
            "bachelor_type",
            "series",
            "post_bachelor_level",
            "validated_by",
        ),
        "student": ("user", "institution", "level", "origin_bachelor_type", "validated_by"),
        "visitor": ("user", "visitor_type", "validated_by"),
    }[kind]
    queryset = model.objects.filter(site=site, pk=pk).select_related(*related)
    if kind == "pupil":
        queryset = queryset.prefetch_related("specialities")
    return queryset.first()
