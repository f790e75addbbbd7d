"""Filters of the course and event lists; every choice is limited to what the person sees."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.policy import Action, offer_filter
from apps.catalogue.models import Training
from apps.organisations.models import Establishment, Structure
from apps.referentials.models import EventType

WINDOW_CHOICES = [
    ("current", _("Published now")),
    ("future", _("Publication to come")),
    ("past", _("Publication over")),
]
PUBLISHED_CHOICES = [("true", _("Yes")), ("false", _("No"))]


def _window(queryset, value):
    today = timezone.localdate()
    started = Q(publication_start__isnull=True) | Q(publication_start__lte=today)
    not_over = Q(publication_end__isnull=True) | Q(publication_end__gte=today)
    if value == "current":
        return queryset.filter(started & not_over, published=True)
    if value == "future":
        return queryset.filter(publication_start__gt=today)
    if value == "past":
        return queryset.filter(publication_end__lt=today)
    return queryset


def _select(widget_class=forms.Select):
    return widget_class(attrs={"class": "form-select"})


def _visible_trainings(request):
    if request is None:
        return Training.objects.none()
    return Training.objects.filter(site=request.site).filter(offer_filter(request.actor, Training, Action.VIEW))


def _visible_structures(request):
    if request is None:
        return Structure.objects.none()
    actor = request.actor
    rows = Structure.objects.filter(site=request.site)
    if actor.is_master:
        return rows
    return rows.filter(
        Q(establishment__in=actor.managed_establishments)
        | Q(pk__in=actor.managed_structures | actor.consulted_structures)
    )


class OfferFilterBase(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"class": "form-control"})
    )
    published = django_filters.ChoiceFilter(
        label=_("Published"),
        choices=PUBLISHED_CHOICES,
        method="filter_published",
        empty_label=_("All"),
        widget=_select(),
    )
    window = django_filters.ChoiceFilter(
        label=_("Publication window"),
        choices=WINDOW_CHOICES,
        method="filter_window",
        empty_label=_("All"),
        widget=_select(),
    )

    field_order = ()

    @property
    def form(self):
        form = super().form
        form.order_fields(self.field_order)
        return form

    def filter_published(self, queryset, name, value):
        return queryset.filter(published=value == "true")

    def filter_window(self, queryset, name, value):
        return _window(queryset, value)

    def search(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(self.search_q(term))
        return queryset


class CourseFilter(OfferFilterBase):
    training = django_filters.ModelChoiceFilter(
        label=_("Training"), queryset=_visible_trainings, empty_label=_("All"), widget=_select()
    )
    structure = django_filters.ModelChoiceFilter(
        label=_("Structure"),
        queryset=_visible_structures,
        field_name="training__structure",
        empty_label=_("All"),
        widget=_select(),
    )

    field_order = ["q", "training", "structure", "published", "window"]

    def search_q(self, term):
        return Q(label__icontains=term) | Q(training__label__icontains=term)


def _visible_event_types(request):
    if request is None:
        return EventType.objects.none()
    return EventType.objects.filter(site=request.site)


def _visible_establishments(request):
    if request is None:
        return Establishment.objects.none()
    actor = request.actor
    rows = Establishment.objects.filter(site=request.site)
    if actor.is_master:
        return rows
    mine = set(actor.managed_establishments) | set(actor.structure_establishments.values())
    return rows.filter(pk__in=mine)


class EventFilter(OfferFilterBase):
    event_type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=_visible_event_types, empty_label=_("All"), widget=_select()
    )
    establishment = django_filters.ModelChoiceFilter(
        label=_("Establishment"), queryset=_visible_establishments, empty_label=_("All"), widget=_select()
    )

    field_order = ["q", "event_type", "establishment", "published", "window"]

    def search_q(self, term):
        return Q(label__icontains=term) | Q(description__icontains=term)
