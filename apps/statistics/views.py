"""The statistics page (charts and their data tables) and the exports, scoped to the viewer's role."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from apps.staff.guard import back_office_view

from . import exports, selectors, services
from .forms import StatisticsFilterForm

SERIES = ("registered", "attended", "absent", "cancelled")


def _scope(request):
    scope = selectors.scope_for(request.actor, request.site)
    if scope is None:
        raise PermissionDenied
    return scope


def _page(request, scope, form, status=200):
    filters = form.cleaned_data if form.is_valid() else None
    context = {
        "form": form,
        "scope": scope,
        "charts": selectors.charts(scope, filters) if filters is not None else [],
        "totals": selectors.totals(scope, filters) if filters is not None else None,
        "export_kinds": [
            (kind, label) for kind, label in exports.KINDS.items() if scope.exports_offer or kind == "registrations"
        ],
        "query_string": request.GET.urlencode(),
    }
    return render(request, "statistics/home.html", context, status=status)


@back_office_view
def home(request):
    scope = _scope(request)
    return _page(request, scope, StatisticsFilterForm(request.GET, site=request.site))


@back_office_view
def export(request, kind, fmt):
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        raise Http404
    scope = _scope(request)
    if kind != "registrations" and not scope.exports_offer:
        raise PermissionDenied
    form = StatisticsFilterForm(request.GET, site=request.site)
    if not form.is_valid():
        return _page(request, scope, form, status=400)
    filters = form.cleaned_data
    response = exports.export_response(kind, fmt, scope, filters)
    services.log_export(
        actor=request.user,
        site=request.site,
        kind=kind,
        fmt=fmt,
        nominative=exports.may_name_people(kind, scope),
        rows=exports.row_count(kind, scope, filters),
        filters=filters,
        label=exports.filename(kind, request.site, fmt),
    )
    return response
