"""Read side of duplicates: the pairs to review, with what the reviewer needs to decide.

A fixed number of queries whatever the number of pairs: the pairs with both people, then
each kind of record and the registration counts of all the people shown at once.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.registrations.models import Registration, Status

from .models import DuplicateCandidate


@dataclass
class PersonSummary:
    user: object
    birth_dates: list = field(default_factory=list)
    kinds: list = field(default_factory=list)  # verbose names of the records held
    schools: list = field(default_factory=list)  # high school or home institution
    registrations: int = 0

    @property
    def birth_date(self):
        return self.birth_dates[0] if self.birth_dates else None


@dataclass
class PairRow:
    candidate: DuplicateCandidate
    a: PersonSummary
    b: PersonSummary


def open_candidates(site):
    """The site's open pairs, newest first, as a queryset (both people joined)."""
    return (
        DuplicateCandidate.objects.filter(site=site, status=DuplicateCandidate.Status.OPEN)
        .select_related("user_a", "user_b")
        .order_by("-created_at", "-pk")
    )


def candidate_for_review(site, pk):
    """A pair of the site, or None (another site's pair is not found)."""
    return DuplicateCandidate.objects.filter(site=site, pk=pk).select_related("user_a", "user_b", "reviewed_by").first()


def people_summaries(site, users):
    """{user id: PersonSummary} for these people on this site. Five queries at most."""
    summaries = {user.pk: PersonSummary(user=user) for user in users if user is not None}
    if not summaries:
        return summaries
    ids = list(summaries)
    records = [
        (PupilRecord, ("high_school", "school_entry")),
        (StudentRecord, ("institution",)),
        (VisitorRecord, ()),
    ]
    for model, schools in records:
        for record in model.objects.filter(site=site, user_id__in=ids).select_related(*schools).order_by("pk"):
            summary = summaries[record.user_id]
            summary.kinds.append(str(model._meta.verbose_name))
            if record.birth_date and record.birth_date not in summary.birth_dates:
                summary.birth_dates.append(record.birth_date)
            for name in schools:
                school = getattr(record, name)
                if school is not None:
                    summary.schools.append(str(school))
    counts = (
        Registration.objects.filter(site=site, person_id__in=ids, status=Status.ACTIVE)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        summaries[row["person_id"]].registrations = row["n"]
    return summaries


def pair_rows(site, candidates):
    """PairRow for each candidate of a page, in order."""
    candidates = list(candidates)
    people = [user for c in candidates for user in (c.user_a, c.user_b)]
    summaries = people_summaries(site, people)

    def summary(user):
        return summaries.get(user.pk) if user is not None else None

    return [PairRow(candidate=c, a=summary(c.user_a), b=summary(c.user_b)) for c in candidates]
