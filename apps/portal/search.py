"""The public slot search: a form validating the filters, and the search itself.

Accent-insensitive keywords, portably: the database filters on everything else first (site,
public and upcoming, dates, domain, establishment, campus, mode, a place to take now); then only the
ids and the three labels of the remaining candidates are read (one light query, bounded by the
site's upcoming public offer) and matched in Python on a normalised form (Unicode
decomposition, accents dropped, case folded, ligatures expanded). This gives the same answer
on SQLite and PostgreSQL without ``unaccent`` nor a search column; the page of results is
then read by id. The choices of the form come from one cached read of the site's reference data.
"""

import unicodedata

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Slot, Training
from apps.organisations.models import Campus, Establishment, HighSchool
from apps.referentials.models import TrainingDomain
from apps.registrations import rules

from .cache import OFFER_TIMEOUT, cached
from .offer import SLOT_PLACE_RELATIONS
from .selectors import upcoming_public_slots

PAGE_SIZE = 20
FACE_TO_FACE = "face_to_face"
REMOTE = "remote"
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae"})


def normalise(text: str) -> str:
    """Lower case, without accents nor ligatures: "Œuvre GÉNIE" → "oeuvre genie"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_choices(site):
    """The form's choices for a site, read once per offer version (four queries when missed)."""

    def build():
        hosts = [(f"e{e.pk}", e.label) for e in Establishment.objects.filter(site=site, is_active=True)]
        hosts += [
            (f"h{h.pk}", str(h))
            for h in HighSchool.objects.filter(site=site, is_active=True)
            .filter(Q(hosts_post_bac_trainings=True) | Q(trainings__isnull=False) | Q(events__isnull=False))
            .distinct()
            .order_by("label")
        ]
        return {
            "domains": [(str(d.pk), d.label) for d in TrainingDomain.objects.filter(site=site, is_active=True)],
            "hosts": hosts,
            "campuses": [
                (str(c.pk), f"{c.label} ({c.establishment.label})")
                for c in Campus.objects.filter(site=site, is_active=True).select_related("establishment")
            ],
        }

    return cached(site.pk, "search-choices", (), build, OFFER_TIMEOUT)


class SlotSearchForm(forms.Form):
    q = forms.CharField(label=_("Keywords"), max_length=100, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    domain = forms.TypedChoiceField(label=_("Domain"), required=False, coerce=int, empty_value=None)
    host = forms.ChoiceField(label=_("Establishment or host high school"), required=False)
    campus = forms.TypedChoiceField(label=_("Campus"), required=False, coerce=int, empty_value=None)
    mode = forms.ChoiceField(
        label=_("Face-to-face or remote"),
        required=False,
        choices=[("", _("All")), (FACE_TO_FACE, _("Face-to-face")), (REMOTE, _("Remote"))],
    )
    free_only = forms.BooleanField(label=_("Only slots with free places"), required=False)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        choices = search_choices(site)
        everything = [("", _("All"))]
        self.fields["domain"].choices = everything + choices["domains"]
        self.fields["host"].choices = everything + choices["hosts"]
        self.fields["campus"].choices = everything + choices["campuses"]
        for name, field in self.fields.items():
            if name == "free_only":
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = "form-select" if hasattr(field, "choices") else "form-control"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filters_query(self):
        """The cleaned filters as a query string (no page), for the pagination links."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            query[name] = "on" if value is True else str(value)
        return query.urlencode()


def _filtered(site, data):
    slots = upcoming_public_slots(site)
    if data.get("date_from"):
        slots = slots.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        slots = slots.filter(date__lte=data["date_to"])
    if data.get("domain"):
        slots = slots.filter(course__training__in=Training.objects.filter(subdomains__domain_id=data["domain"]))
    host = data.get("host")
    if host:
        pk = int(host[1:])
        if host[0] == "e":
            slots = slots.filter(Q(course__training__structure__establishment_id=pk) | Q(event__establishment_id=pk))
        else:
            slots = slots.filter(Q(course__training__high_school_id=pk) | Q(event__high_school_id=pk))
    if data.get("campus"):
        slots = slots.filter(campus_id=data["campus"])
    if data.get("mode") == REMOTE:
        slots = slots.filter(place=Slot.Place.REMOTE)
    elif data.get("mode") == FACE_TO_FACE:
        slots = slots.exclude(place=Slot.Place.REMOTE)
    if data.get("free_only"):
        slots = _place_takeable_now(site, slots)
    return slots.order_by("date", "start_time", "pk")


def _place_takeable_now(site, slots):
    """The slots where a place can be taken now, as the engine (:mod:`apps.registrations.rules`) decides.

    The places (left after live waiting-list offers, nobody in line) and the registration
    window are filtered in the database; the slot's effective deadline (its own, else its
    period's policy) is the engine's own computation, run on the remaining candidates.
    """
    if not site.individual_registrations_enabled:
        return slots.none()
    now = timezone.now()
    candidates = (
        slots.filter(rules.takes_newcomers_filter(now))
        .filter(period__registration_start__lte=now, period__registration_end__gte=now)
        .select_related("period")
        .only("date", "start_time", "registration_deadline", "cancellation_deadline", "period")
    )
    return slots.filter(pk__in=[slot.pk for slot in candidates if rules.takes_registrations_at(slot, now)])


def search(site, data, page_number):
    """A page (``django.core.paginator.Page``) of the slots matching the cleaned filters."""
    slots = _filtered(site, data)
    words = normalise(data.get("q") or "").split()
    if words:
        ids = [
            pk
            for pk, *labels in slots.values_list("pk", "course__label", "course__training__label", "event__label")
            if all(word in normalise(" ".join(label for label in labels if label)) for word in words)
        ]
    else:
        ids = list(slots.values_list("pk", flat=True))
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    rows = {
        slot.pk: slot
        for slot in Slot.objects.filter(pk__in=list(page.object_list)).select_related(
            "course__training__structure__establishment",
            "course__training__high_school",
            "event__event_type",
            "event__establishment",
            "event__high_school",
            *SLOT_PLACE_RELATIONS,
        )
    }
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page
