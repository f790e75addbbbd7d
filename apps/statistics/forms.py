from django import forms
from django.utils.translation import gettext_lazy as _

from apps.academic_calendar.models import Period
from apps.organisations.models import Establishment
from apps.referentials.models import TrainingDomain


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year.label} — {obj.label}"


class StatisticsFilterForm(forms.Form):
    """The filters of the statistics page and of its exports (GET, every field optional)."""

    period = PeriodChoiceField(
        queryset=Period.objects.none(), required=False, label=_("Period"), empty_label=_("All periods")
    )
    establishment = forms.ModelChoiceField(
        queryset=Establishment.objects.none(),
        required=False,
        label=_("Host establishment"),
        empty_label=_("All establishments"),
    )
    domain = forms.ModelChoiceField(
        queryset=TrainingDomain.objects.none(),
        required=False,
        label=_("Training domain"),
        empty_label=_("All domains"),
    )
    date_from = forms.DateField(
        required=False, label=_("Slots from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        required=False, label=_("Slots until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = (
            Period.objects.filter(site=site).select_related("year").order_by("-year__start_date", "immersion_start")
        )
        self.fields["establishment"].queryset = Establishment.objects.filter(site=site)
        self.fields["domain"].queryset = TrainingDomain.objects.filter(site=site)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ModelChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned
