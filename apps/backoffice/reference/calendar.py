"""The university years and, within each, its periods, holidays and vacations."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.academic_calendar.models import Holiday, Period, UniversityYear, Vacation
from apps.accounts.policy import Action
from apps.backoffice.lists import list_page
from apps.backoffice.log.history import history_context

from . import services
from .calendar_forms import HolidayForm, PeriodForm, VacationForm, YearForm
from .filters import YearFilterSet
from .forms import style_widgets
from .guards import master_view
from .registry import REFERENCE, Kind
from .tables import YearTable
from .views import _check_add, _row, delete_page

YEAR = Kind("years", UniversityYear, (), flag=None)
PARTS = {
    "periods": (Kind("periods", Period, (), flag=None), PeriodForm),
    "holidays": (Kind("holidays", Holiday, (), flag=None), HolidayForm),
    "vacations": (Kind("vacations", Vacation, (), flag=None), VacationForm),
}


def _year_url(year):
    return reverse("backoffice:reference_year_edit", args=[year.pk])


@master_view
@require_http_methods(["GET"])
def years(request):
    queryset = UniversityYear.objects.filter(site=request.site).annotate(period_count=Count("periods"))
    redirect_to, filterset, table = list_page(
        request, key="reference-years", queryset=queryset, filterset_class=YearFilterSet, table_class=YearTable
    )
    if redirect_to is not None:
        return redirect_to
    style_widgets(filterset.form)
    return render(request, "backoffice/reference/years.html", {"filterset": filterset, "table": table})


def _year_form_page(request, year):
    form = YearForm(request.POST or None, instance=year, site=request.site)
    if request.method == "POST" and form.is_valid():
        saved = services.save_year(form, make_current=form.cleaned_data["make_current"], by=request.user)
        if saved is not None:
            messages.success(request, _("“%(row)s” was saved.") % {"row": saved})
            return redirect(_year_url(saved))
    context = {"form": form, "year": year if year.pk else None}
    if year.pk:
        context.update(history_context(request, year))
        context["parts"] = [
            (slug, kind, list(kind.model.objects.filter(site=request.site, year=year)))
            for slug, (kind, _f) in PARTS.items()
        ]
    return render(request, "backoffice/reference/year.html", context)


@master_view
@require_http_methods(["GET", "POST"])
def year_create(request):
    year = UniversityYear(site=request.site)
    _check_add(request, REFERENCE, year)
    return _year_form_page(request, year)


@master_view
@require_http_methods(["GET", "POST"])
def year_edit(request, pk):
    return _year_form_page(request, _row(request, REFERENCE, YEAR, pk, Action.CHANGE))


@master_view
@require_http_methods(["GET", "POST"])
def year_delete(request, pk):
    year = _row(request, REFERENCE, YEAR, pk, Action.DELETE)
    return delete_page(request, REFERENCE, YEAR, year, back_url=reverse("backoffice:reference_years"))


def _part(request, year_pk, part):
    if part not in PARTS:
        raise Http404
    year = _row(request, REFERENCE, YEAR, year_pk, Action.CHANGE)
    kind, form_class = PARTS[part]
    return year, kind, form_class


def _part_form_page(request, year, kind, form_class, obj):
    form = form_class(request.POST or None, instance=obj, site=request.site, parents={"year": year})
    if request.method == "POST" and form.is_valid():
        saved = services.save_form(form, by=request.user, site=request.site)
        if saved is not None:
            messages.success(request, _("“%(row)s” was saved.") % {"row": saved})
            return redirect(_year_url(year))
    context = {"area": REFERENCE, "kind": kind, "form": form, "obj": obj if obj.pk else None, "parent": year}
    context["back_url"] = _year_url(year)
    if obj.pk:
        context.update(history_context(request, obj))
        context["delete_url"] = reverse("backoffice:reference_year_part_delete", args=[year.pk, kind.slug, obj.pk])
    return render(request, "backoffice/reference/form.html", context)


@master_view
@require_http_methods(["GET", "POST"])
def part_create(request, year_pk, part):
    year, kind, form_class = _part(request, year_pk, part)
    obj = kind.model(site=request.site, year=year)
    _check_add(request, REFERENCE, obj)
    return _part_form_page(request, year, kind, form_class, obj)


def _part_row(request, year, kind, pk, action):
    queryset = kind.model.objects.filter(site=request.site, year=year)
    return _row(request, REFERENCE, kind, pk, action, queryset=queryset)


@master_view
@require_http_methods(["GET", "POST"])
def part_edit(request, year_pk, part, pk):
    year, kind, form_class = _part(request, year_pk, part)
    return _part_form_page(request, year, kind, form_class, _part_row(request, year, kind, pk, Action.CHANGE))


@master_view
@require_http_methods(["GET", "POST"])
def part_delete(request, year_pk, part, pk):
    year, kind, _form_class = _part(request, year_pk, part)
    obj = _part_row(request, year, kind, pk, Action.DELETE)
    return delete_page(request, REFERENCE, kind, obj, back_url=_year_url(year))
