"""Filters of the registry lists: a search box and active / inactive (or published / draft)."""

from functools import cache, reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.academic_calendar.models import UniversityYear

FLAG_CHOICES = {
    "is_active": (("yes", _("Active")), ("no", _("Inactive"))),
    "published": (("yes", _("Published")), ("no", _("Not published"))),
}


def _search(names):
    def method(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in names)))

    return method


def _flag(field_name):
    def method(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(**{field_name: value == "yes"})
        return queryset

    return method


@cache
def filterset_for(kind):
    attrs = {
        "q": django_filters.CharFilter(method="filter_search", label=_("Search")),
        "filter_search": _search(kind.search),
    }
    if kind.flag:
        attrs["state"] = django_filters.ChoiceFilter(
            method="filter_flag", label=_("State"), choices=FLAG_CHOICES[kind.flag], empty_label=_("All")
        )
        attrs["filter_flag"] = _flag(kind.flag)
    attrs["Meta"] = type("Meta", (), {"model": kind.model, "fields": []})
    filterset = type(f"{kind.model.__name__}FilterSet", (django_filters.FilterSet,), attrs)
    return filterset


class YearFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="label", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = UniversityYear
        fields = []
