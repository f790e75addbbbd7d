"""Forms of the university year and its periods, holidays and vacations.

The database check constraints (ordered dates...) are checked here first, with a message
tied to the field at fault.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.academic_calendar.models import Holiday, Period, UniversityYear, Vacation

from .forms import SiteBoundForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _after(form, data, first, second, message, *, strict):
    a, b = data.get(first), data.get(second)
    if a is not None and b is not None and (b <= a if strict else b < a):
        form.add_error(second, message)


def _within_year(form, year, *names):
    if year is None:
        return
    for name in names:
        day = form.cleaned_data.get(name)
        if day is not None and not year.contains(day):
            form.add_error(
                name,
                _("This date is outside the university year (%(start)s – %(end)s).")
                % {"start": f"{year.start_date:%d/%m/%Y}", "end": f"{year.end_date:%d/%m/%Y}"},
            )


class YearForm(SiteBoundForm):
    make_current = forms.BooleanField(
        label=_("Current year"),
        required=False,
        help_text=_("The current year is the one the offer and the registrations use; it replaces the previous one."),
    )

    class Meta:
        model = UniversityYear
        fields = ("label", "start_date", "end_date", "accounts_open_date", "purge_date")
        widgets = dict.fromkeys(("start_date", "end_date", "accounts_open_date", "purge_date"), DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["make_current"].initial = self.instance.is_active

    def clean(self):
        data = super().clean()
        _after(self, data, "start_date", "end_date", _("The year must end after it starts."), strict=True)
        _after(
            self,
            data,
            "accounts_open_date",
            "end_date",
            _("Accounts must open before the end of the year."),
            strict=False,
        )
        if data.get("purge_date") and data.get("end_date") and data["purge_date"] < data["end_date"]:
            self.add_error("purge_date", _("The purge cannot happen before the end of the year."))
        if self.instance.pk and self.instance.is_active and not data.get("make_current"):
            self.add_error(
                "make_current", _("The site always has a current year: to change it, make another year current.")
            )
        return data


class PeriodForm(SiteBoundForm):
    class Meta:
        model = Period
        fields = (
            "label",
            "registration_start",
            "registration_end",
            "immersion_start",
            "immersion_end",
            "quota_per_person",
            "deadline_policy",
            "registration_hours_before",
            "cancellation_hours_before",
        )
        widgets = {
            "registration_start": DATETIME,
            "registration_end": DATETIME,
            "immersion_start": DATE,
            "immersion_end": DATE,
            "deadline_policy": forms.RadioSelect,
        }

    def clean(self):
        data = super().clean()
        _after(
            self,
            data,
            "registration_start",
            "registration_end",
            _("Registrations must close after they open."),
            strict=True,
        )
        _after(
            self,
            data,
            "immersion_start",
            "immersion_end",
            _("The last day cannot be before the first day."),
            strict=False,
        )
        _within_year(self, self.instance.year if self.instance.year_id else None, "immersion_start", "immersion_end")
        if data.get("quota_per_person") is not None and data["quota_per_person"] < 1:
            self.add_error("quota_per_person", _("Allow at least one registration per person."))
        return data


class HolidayForm(SiteBoundForm):
    class Meta:
        model = Holiday
        fields = ("label", "date")
        widgets = {"date": DATE}

    def clean(self):
        data = super().clean()
        _within_year(self, self.instance.year if self.instance.year_id else None, "date")
        return data


class VacationForm(SiteBoundForm):
    class Meta:
        model = Vacation
        fields = ("label", "start_date", "end_date")
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self):
        data = super().clean()
        _after(self, data, "start_date", "end_date", _("The last day cannot be before the first day."), strict=False)
        _within_year(self, self.instance.year if self.instance.year_id else None, "start_date", "end_date")
        return data
