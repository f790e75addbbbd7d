"""Filters of the organisations lists. Choices come from the person's scope (``request.actor``)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Training
from apps.core.search import text_filter
from apps.organisations import selectors
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.referentials.models import TrainingSubdomain

YES_NO = (("true", _("Yes")), ("false", _("No")))


def _yes_no(label, field_name):
    return django_filters.BooleanFilter(
        label=label,
        field_name=field_name,
        widget=forms.Select(choices=(("", _("Any")), *YES_NO), attrs={"class": "form-select"}),
    )


class SearchFilterSet(django_filters.FilterSet):
    search_fields = ("label",)
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"class": "form-control", "type": "search"})
    )
    is_active = _yes_no(_("Active"), "is_active")

    def __init__(self, *args, request=None, **kwargs):
        self.actor, self.site = request.actor, request.site
        super().__init__(*args, request=request, **kwargs)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, forms.Select) and name not in ("is_active",):
                field.widget.attrs.setdefault("class", "form-select")

    def search(self, queryset, name, value):
        return queryset.filter(text_filter(value[:100], self.search_fields))


class EstablishmentFilter(SearchFilterSet):
    search_fields = ("label", "code", "uai", "city")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=(("master", _("Master establishment")), ("host", _("Host establishment"))),
        method="filter_kind",
        empty_label=_("Any"),
    )

    class Meta:
        model = Establishment
        fields = ()

    def filter_kind(self, queryset, name, value):
        return queryset.filter(is_master=value == "master")


class HighSchoolFilter(SearchFilterSet):
    search_fields = ("label", "uai", "city")
    agreement = django_filters.ChoiceFilter(
        label=_("Agreement"),
        choices=(("in_force", _("In force")), ("none", _("None")), ("expired", _("Expired"))),
        method="filter_agreement",
        empty_label=_("Any"),
    )
    hosts_post_bac_trainings = _yes_no(_("Hosts post-bac trainings"), "hosts_post_bac_trainings")
    accepts_individual_immersions = _yes_no(_("Accepts individual immersions"), "accepts_individual_immersions")
    city = django_filters.CharFilter(
        label=_("City"), lookup_expr="icontains", widget=forms.TextInput(attrs={"class": "form-control"})
    )

    class Meta:
        model = HighSchool
        fields = ()

    def filter_agreement(self, queryset, name, value):
        today = timezone.localdate()
        in_force = Q(agreement_start__lte=today) & (Q(agreement_end__isnull=True) | Q(agreement_end__gte=today))
        if value == "in_force":
            return queryset.filter(in_force)
        if value == "expired":
            return queryset.filter(agreement_end__lt=today)
        # "none": no agreement signed, or one that has not started yet
        return queryset.filter(Q(agreement_start__isnull=True) | Q(agreement_start__gt=today))


class StructureFilter(SearchFilterSet):
    search_fields = ("label", "code")
    establishment = django_filters.ModelChoiceFilter(
        label=_("Establishment"),
        queryset=lambda request: selectors.establishments_for(request.actor, request.site),
        empty_label=_("Any"),
    )

    class Meta:
        model = Structure
        fields = ()


class CampusFilter(SearchFilterSet):
    search_fields = ("label", "city")
    establishment = django_filters.ModelChoiceFilter(
        label=_("Establishment"),
        queryset=lambda request: selectors.establishments_for(request.actor, request.site),
        empty_label=_("Any"),
    )

    class Meta:
        model = Campus
        fields = ()


class BuildingFilter(SearchFilterSet):
    search_fields = ("label", "campus__label")
    campus = django_filters.ModelChoiceFilter(
        label=_("Campus"),
        queryset=lambda request: selectors.campuses_for(request.actor, request.site),
        empty_label=_("Any"),
    )

    class Meta:
        model = Building
        fields = ()


class TrainingFilter(SearchFilterSet):
    search_fields = ("label",)
    structure = django_filters.ModelChoiceFilter(
        label=_("Structure"),
        queryset=lambda request: selectors.visible_structures(request.actor, request.site),
        empty_label=_("Any"),
    )
    high_school = django_filters.ModelChoiceFilter(
        label=_("Host high school"),
        queryset=lambda request: selectors.visible_host_high_schools(request.actor, request.site),
        empty_label=_("Any"),
    )
    subdomain = django_filters.ModelChoiceFilter(
        label=_("Subdomain"),
        field_name="subdomains",
        queryset=lambda request: TrainingSubdomain.objects.filter(site=request.site).order_by("label"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Training
        fields = ()
