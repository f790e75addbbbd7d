"""Back-office pages of the yearly cycle: master referents and operators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.academic_calendar.models import UniversityYear
from apps.staff.guard import back_office_view

from . import selectors, services, tasks
from .forms import ConfirmPurgeForm
from .models import AnnualStatistics, PurgeRun


def _masters_only(request):
    if not request.actor.is_master:
        raise PermissionDenied


def _year(request, year_id):
    _masters_only(request)
    return get_object_or_404(UniversityYear, site=request.site, pk=year_id)


@back_office_view
def years(request):
    _masters_only(request)
    return render(request, "yearly/years.html", {"years": selectors.years_with_status(request.site)})


@back_office_view
def year(request, year_id):
    year = _year(request, year_id)
    stats = AnnualStatistics.objects.filter(site=request.site, year=year).first()
    runs = PurgeRun.objects.filter(site=request.site, year=year).order_by("-created_at", "-pk")
    context = {
        "year": year,
        "stats": stats,
        "tables": selectors.dimension_tables(stats.figures) if stats else [],
        "runs": runs,
        "purge_due": selectors.purge_is_due(year),
        "purge_due_on": selectors.purge_due_date(year),
    }
    return render(request, "yearly/year.html", context)


@back_office_view
@require_POST
def refresh(request, year_id):
    year = _year(request, year_id)
    stats = services.refresh_statistics(request.site, year, by=request.user)
    if stats.frozen_at:
        messages.info(request, _("These figures were frozen by the purge: they are kept as they are."))
    else:
        messages.success(request, _("The figures were computed again."))
    return redirect("yearly:year", year_id=year.pk)


@back_office_view
@require_POST
def dry_run(request, year_id):
    year = _year(request, year_id)
    run = services.dry_run(request.site, year, by=request.user)
    return redirect("yearly:run", run_id=run.pk)


@back_office_view
def purge(request, year_id):
    year = _year(request, year_id)
    form = ConfirmPurgeForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            run = tasks.queue_purge(request.site, year, by=request.user)
        except services.PurgeRefused as refusal:
            messages.error(request, refusal.message)
        else:
            return redirect("yearly:run", run_id=run.pk)
    context = {
        "year": year,
        "form": form,
        "purge_due": selectors.purge_is_due(year),
        "purge_due_on": selectors.purge_due_date(year),
        "purged": selectors.PURGED_KINDS,
        "kept": selectors.KEPT_KINDS,
    }
    return render(request, "yearly/purge.html", context)


@back_office_view
def run(request, run_id):
    _masters_only(request)
    run = get_object_or_404(PurgeRun.objects.select_related("year"), site=request.site, pk=run_id)
    rows = [
        (kind, label, run.counts.get(kind), run.samples.get(kind, [])) for kind, label in selectors.PURGED_KINDS.items()
    ]
    context = {"run": run, "rows": rows, "kept": selectors.KEPT_KINDS}
    template = "yearly/_run_status.html" if request.htmx else "yearly/run.html"
    return render(request, template, context)


@back_office_view
def archive(request, run_id):
    _masters_only(request)
    run = get_object_or_404(PurgeRun, site=request.site, pk=run_id, dry_run=False)
    if not run.archive:
        raise Http404
    try:
        handle = run.archive.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"{request.site.slug}-{run.year.label}-archive.zip"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
    services.record_archive_download(run, site=request.site, actor=request.user)
    return response
