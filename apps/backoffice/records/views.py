"""The validators' pages of the records: the list waiting for a decision, a record's review,
validate / reject / undo a rejection, bulk validation (the "records" URL namespace, under
/back-office/records/). Thin: the rules are in :mod:`apps.records.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts import policy
from apps.backoffice.log.history import history_context
from apps.records import selectors, services
from apps.records.forms import PendingFilterForm, RejectForm
from apps.records.models import KIND_MODELS, RecordStatus
from apps.staff.guard import back_office_view

DOCUMENTS_PARTIAL = "attestations/_record_documents.html"
MAX_ID = 2**63 - 1


def _validator_kinds(request):
    kinds = selectors.validatable_kinds(request.actor)
    if not kinds:
        raise PermissionDenied
    return kinds


@back_office_view
def pending(request):
    site, actor = request.site, request.actor
    kinds = _validator_kinds(request)
    filters = PendingFilterForm(request.GET, site=site, kinds=kinds)
    listing = selectors.pending_list(actor, site, page=request.GET.get("page") or 1, **filters.values())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "listing": listing,
        "query": query.urlencode(),
        "status_choices": RecordStatus.choices,
        "show_kind": len(kinds) > 1,
    }
    return render(request, "backoffice/records/pending.html", context)


def _reviewable(request, kind, pk):
    """The record if the actor decides on it; 404 when they may not even see it, 403 otherwise."""
    if kind not in KIND_MODELS or pk > MAX_ID:
        raise Http404
    record = selectors.record_for_review(request.site, kind, pk)
    if record is None or not policy.can(request.actor, policy.Action.VIEW, record, request.site):
        raise Http404
    if not policy.can(request.actor, policy.Action.VALIDATE, record, request.site):
        raise PermissionDenied
    return record


def _has_documents_partial():
    try:
        select_template([DOCUMENTS_PARTIAL])
    except TemplateDoesNotExist:
        return False
    return True


def _render_review(request, record, kind, reject_form=None, status=200):
    context = {
        "record": record,
        "kind": kind,
        "reject_form": reject_form or RejectForm(),
        "is_pending": record.status in (RecordStatus.TO_VALIDATE, RecordStatus.TO_REVALIDATE),
        "Status": RecordStatus,
        "has_documents_partial": _has_documents_partial(),
        "validating_body": selectors.validating_body(record),
        **history_context(request, record),
    }
    return render(request, "backoffice/records/review.html", context, status=status)


@back_office_view
def review(request, kind, pk):
    _validator_kinds(request)
    record = _reviewable(request, kind, pk)
    return _render_review(request, record, kind)


def _back_to_review(kind, pk):
    return redirect("records:review", kind=kind, pk=pk)


@require_POST
@back_office_view
def validate(request, kind, pk):
    _validator_kinds(request)
    record = _reviewable(request, kind, pk)
    try:
        services.validate_record(request.site, request.user, record)
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The record of %(name)s is validated.") % {"name": record.user.get_full_name()})
    return _back_to_review(kind, pk)


@require_POST
@back_office_view
def reject(request, kind, pk):
    _validator_kinds(request)
    record = _reviewable(request, kind, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_review(request, record, kind, reject_form=form, status=400)
    try:
        services.reject_record(request.site, request.user, record, form.cleaned_data["reason"])
    except ValidationError as error:
        form.add_error("reason", error.message_dict.get("reason", error.messages))
        return _render_review(request, record, kind, reject_form=form, status=400)
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The record of %(name)s is rejected.") % {"name": record.user.get_full_name()})
    return _back_to_review(kind, pk)


@require_POST
@back_office_view
def undo_rejection(request, kind, pk):
    _validator_kinds(request)
    record = _reviewable(request, kind, pk)
    try:
        services.undo_rejection(request.site, request.user, record)
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The rejection is undone: the record waits for validation again."))
    return _back_to_review(kind, pk)


@require_POST
@back_office_view
def bulk_validate(request):
    _validator_kinds(request)
    keys = request.POST.getlist("records")[:500]
    back = reverse("records:pending")
    query = QueryDict(request.POST.get("query", "")[:1000]).urlencode()
    if query:
        back = f"{back}?{query}"
    if not keys:
        messages.warning(request, _("Select at least one record."))
        return redirect(back)
    outcome = services.bulk_validate(request.site, request.user, keys)
    if outcome.validated:
        count = len(outcome.validated)
        messages.success(
            request,
            ngettext("%(count)s record validated.", "%(count)s records validated.", count) % {"count": count},
        )
    if outcome.ignored:
        count = len(outcome.ignored)
        messages.warning(
            request,
            ngettext(
                "%(count)s record ignored: unknown, not waiting for validation, or outside your scope.",
                "%(count)s records ignored: unknown, not waiting for validation, or outside your scope.",
                count,
            )
            % {"count": count},
        )
    return redirect(back)
