"""Filters of the action log: who, what, on what, when."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.audit import registry
from apps.audit.models import ActionLog
from apps.core.search import text_filter


def _types():
    return [(name, f"{registry.label(name)} ({name})") for name in registry.all_types()]


class ActionLogFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        label=_("Who"), method="filter_actor", widget=forms.TextInput(attrs={"class": "form-control", "type": "search"})
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=_types, empty_label=_("Any"))
    object_type = django_filters.CharFilter(
        label=_("Object type"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "catalogue.slot"}),
    )
    object_id = django_filters.CharFilter(
        label=_("Object id"), max_length=64, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    object = django_filters.CharFilter(
        label=_("Object"), method="filter_object", widget=forms.TextInput(attrs={"class": "form-control"})
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )

    class Meta:
        model = ActionLog
        fields = ()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")

    def filter_actor(self, queryset, name, value):
        return queryset.filter(text_filter(value[:100], ("actor_label", "acting_as_label")))

    def filter_object(self, queryset, name, value):
        return queryset.filter(text_filter(value[:100], ("object_label", "subject_label")))
