"""A slot's registrants in the back office. Thin: rights from ``@back_office_view`` and the policy,
rules and writes from ``apps.registrations`` (rules, services, attendance).

The slot is looked up among those the person may see in the back office (its managers, its
structure's consultants, its speakers; 404 otherwise); actions are then checked (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.policy import Action, can
from apps.catalogue.models import Slot
from apps.catalogue.selectors import effective_deadlines
from apps.registrations import attendance as attendance_service
from apps.registrations import pdf, rules, services
from apps.registrations.models import Attendance, Registration, Status
from apps.staff.guard import back_office_view
from apps.statistics.services import log_export

from . import selectors
from .forms import CancelForm, ForceForm, SearchForm

T = "backoffice/registrants/"


def _slot(request, pk):
    return get_object_or_404(selectors.viewable_slots(request.actor, request.site), pk=pk)


def _manager_slot(request, pk):
    slot = _slot(request, pk)
    if not can(request.actor, Action.CHANGE, slot, request.site):
        raise PermissionDenied
    return slot


def _back(slot):
    return redirect("backoffice:registrants_slot", slot.pk)


@back_office_view
@require_GET
def registrants(request, pk):
    actor, site = request.actor, request.site
    slot = _slot(request, pk)
    may_manage = can(actor, Action.CHANGE, slot, site)
    may_record = may_manage or can(actor, Action.RECORD_ATTENDANCE, slot, site)
    active, cancelled = selectors.registrant_rows(slot, site)
    registration_closes, cancellation_closes = effective_deadlines(slot)
    context = {
        "slot": slot,
        "host": selectors.host_of(slot),
        "registration_closes": registration_closes,
        "cancellation_closes": cancellation_closes,
        "rows": active,
        "cancelled": cancelled,
        "groups": selectors.group_registrations(slot),
        "waiting": selectors.waiting_list(slot),
        "may_manage": may_manage,
        "may_record": may_record,
        "shows_email": may_record,
        "attendance_problem": attendance_service.attendance_problem(slot, by=request.user, site=site)
        if may_record
        else None,
        "attendance_choices": Attendance.choices,
        "reasons": list(rules.usable_reasons("manager", site)) if may_manage else [],
    }
    return render(request, f"{T}slot.html", context)


def _recording_slot(request, pk):
    """The slot, if the person may enter its attendance (403 otherwise), and why not now (or None)."""
    slot = _slot(request, pk)
    if not can(request.actor, Action.RECORD_ATTENDANCE, slot, request.site):
        raise PermissionDenied
    return slot, attendance_service.attendance_problem(slot, by=request.user, site=request.site)


@back_office_view
@require_POST
def attendance(request, pk):
    slot, problem = _recording_slot(request, pk)
    if problem:
        messages.error(request, problem)
        return _back(slot)
    values = {
        key.removeprefix("attendance-"): value for key, value in request.POST.items() if key.startswith("attendance-")
    }
    if not values:
        messages.error(request, _("Choose an attendance for at least one registrant."))
    elif not all(key.isdigit() for key in values):
        messages.error(request, _("Some of these registrations are not on this slot."))
    else:
        try:
            changed = attendance_service.record_attendance(slot, values, by=request.user, site=request.site)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                ngettext("Attendance saved (%(count)s change).", "Attendance saved (%(count)s changes).", changed)
                % {"count": changed},
            )
    return _back(slot)


@back_office_view
@require_POST
def all_present(request, pk):
    slot, problem = _recording_slot(request, pk)
    if problem:
        messages.error(request, problem)
        return _back(slot)
    changed = attendance_service.mark_all_present(slot, by=request.user, site=request.site)
    if slot.place == Slot.Place.REMOTE:
        text = ngettext(
            "%(count)s registrant marked as attended remotely.",
            "%(count)s registrants marked as attended remotely.",
            changed,
        )
    else:
        text = ngettext("%(count)s registrant marked present.", "%(count)s registrants marked present.", changed)
    messages.success(request, text % {"count": changed})
    return _back(slot)


@back_office_view
@require_POST
def cancel(request, pk):
    slot = _manager_slot(request, pk)
    active = {r.pk: r for r in Registration.objects.filter(slot=slot, status=Status.ACTIVE).select_related("person")}
    form = CancelForm(
        request.POST, registration_ids=list(active), reasons=rules.usable_reasons("manager", request.site)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(slot)
    chosen = [active[pk] for pk in form.cleaned_data["ids"]]
    cancelled, problems = services.cancel_registrations(
        chosen, by=request.user, reason=form.cleaned_data["reason"], check=True
    )
    if problems:
        messages.error(request, _("Nothing was cancelled: %(problems)s") % {"problems": " ".join(problems)})
    else:
        messages.success(
            request,
            ngettext("%(count)s registration cancelled.", "%(count)s registrations cancelled.", cancelled)
            % {"count": cancelled},
        )
    return _back(slot)


@back_office_view
@require_http_methods(["GET", "POST"])
def register(request, pk):
    """Search the site's registrants, see why the engine refuses one, force what may be forced, register."""
    site = request.site
    slot = _manager_slot(request, pk)
    search = SearchForm(request.GET if "q" in request.GET else None)
    results = selectors.search_registrants(site, search.cleaned_data["q"]) if search.is_valid() else None
    data = request.POST if request.method == "POST" else request.GET
    person = selectors.registrant(site, data.get("person", "")) if data.get("person") else None
    if data.get("person") and person is None:
        messages.error(request, _("This person is not a registrant of this site."))
    decision = force_form = None
    if person is not None:
        decision = rules.evaluate(slot, person, by=request.user, site=site)
        force_form = ForceForm(request.POST or None, forcible=decision.forcible_codes)
        if request.method == "POST" and force_form.is_valid():
            try:
                services.register(slot, person, by=request.user, force=tuple(force_form.cleaned_data["force"]))
            except services.RegistrationRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("%(person)s is registered.") % {"person": person})
                return _back(slot)
    context = {
        "slot": slot,
        "search": search,
        "results": results,
        "person": person,
        "decision": decision,
        "force_form": force_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, f"{T}register.html", context, status=status)


@back_office_view
@require_GET
def attendance_pdf(request, pk):
    slot = _slot(request, pk)
    rows, _cancelled = selectors.registrant_rows(slot, request.site)
    groups = selectors.group_registrations(slot)
    content = pdf.attendance_list_pdf(slot, site=request.site, rows=rows, groups=groups)
    filename = pdf.attendance_list_filename(slot)
    log_export(
        actor=request.user,
        site=request.site,
        kind="attendance_list",
        fmt="pdf",
        nominative=True,
        rows=len(rows) + len(groups),
        label=filename,
        obj=slot,
    )
    return pdf.pdf_response(content, filename)
