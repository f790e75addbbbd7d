"""Filters of the slot list. Choices are the current site's rows within the person's scope."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.academic_calendar.models import Period
from apps.accounts.policy import Action, offer_filter
from apps.catalogue.models import Course, Event, Slot
from apps.organisations.models import Structure

YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]
FULLNESS = [("", _("All")), ("full", _("Full")), ("free", _("With free places"))]
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


def _courses(request):
    return Course.objects.filter(offer_filter(request.actor, Course, Action.VIEW)).order_by("label")


def _events(request):
    return Event.objects.filter(offer_filter(request.actor, Event, Action.VIEW)).order_by("label")


def _structures(request):
    actor = request.actor
    if actor.is_master:
        return Structure.objects.all()
    return Structure.objects.filter(
        Q(establishment__in=actor.managed_establishments)
        | Q(pk__in=actor.managed_structures | actor.consulted_structures)
    )


def _periods(request):
    return Period.objects.order_by("immersion_start")


class SlotFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=_courses)
    event = django_filters.ModelChoiceFilter(label=_("Event"), queryset=_events)
    structure = django_filters.ModelChoiceFilter(label=_("Structure"), queryset=_structures, method="filter_structure")
    period = django_filters.ModelChoiceFilter(label=_("Period"), queryset=_periods)
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DATE)
    date_to = django_filters.DateFilter(label=_("Until"), field_name="date", lookup_expr="lte", widget=DATE)
    place = django_filters.ChoiceFilter(label=_("Place"), choices=Slot.Place.choices, empty_label=_("All"))
    published = django_filters.ChoiceFilter(
        label=_("Published"), choices=YES_NO[1:], empty_label=_("All"), method="filter_yes_no"
    )
    cancelled = django_filters.ChoiceFilter(
        label=_("Cancelled"), choices=YES_NO[1:], empty_label=_("All"), method="filter_cancelled"
    )
    fullness = django_filters.ChoiceFilter(
        label=_("Places"), choices=FULLNESS[1:], empty_label=_("All"), method="filter_fullness"
    )

    class Meta:
        model = Slot
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(course__label__icontains=value)
            | Q(event__label__icontains=value)
            | Q(course__training__label__icontains=value)
            | Q(room__icontains=value)
            | Q(campus__label__icontains=value)
        )

    def filter_structure(self, queryset, name, value):
        return queryset.filter(Q(course__training__structure=value) | Q(event__structure=value))

    def filter_yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_cancelled(self, queryset, name, value):
        return queryset.filter(cancelled_at__isnull=value != "yes")

    def filter_fullness(self, queryset, name, value):
        full = Q(individual_places_taken__gte=F("individual_places"))
        full &= Q(allows_group_registrations=False) | Q(group_places_taken__gte=F("group_places"))
        return queryset.filter(full) if value == "full" else queryset.exclude(full)
