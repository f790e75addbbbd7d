"""The registrant's own record pages. Thin: rules are in services.

The validators' pages are the back office's (:mod:`apps.backoffice.records`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts import policy
from apps.core.search import search_is_long_enough

from . import selectors, services
from .forms import FORMS, initial_for
from .models import RecordStatus


@login_required
def home(request):
    site, user = request.site, request.user
    if request.method == "POST":
        try:
            record = services.choose_profile(site, user, request.POST.get("profile", ""))
        except services.RecordError as error:
            messages.error(request, str(error))
            return redirect("records:home")
        return redirect(f"{reverse('records:edit')}?kind={services.kind_of(record)}")
    actor = policy.actor_for(user, site)
    entries = [
        {
            "record": record,
            "kind": services.kind_of(record),
            "validating_body": selectors.validating_body(record),
        }
        for record in selectors.records_of(site, user)
    ]
    context = {
        "entries": entries,
        "may_choose": not entries and not actor.is_staff,
        "is_staff": actor.is_staff,
        "Status": RecordStatus,
    }
    return render(request, "records/home.html", context)


def _own_record(request):
    records = selectors.records_of(request.site, request.user)
    wanted = request.POST.get("kind") or request.GET.get("kind")
    for record in records:
        if wanted in (None, "", services.kind_of(record)):
            return record
    return None


@login_required
def edit(request):
    site, user = request.site, request.user
    record = _own_record(request)
    if record is None or not policy.can(user, policy.Action.CHANGE, record, site):
        return redirect("records:home")
    kind = services.kind_of(record)
    form_class = FORMS[kind]
    initial = initial_for(record)
    if request.method == "POST":
        form = form_class(request.POST, site=site, record=record, initial=initial)
        if form.is_valid():
            try:
                outcome = services.save_record(site, user, record, form.service_data())
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                _tell_outcome(request, outcome)
                return redirect("records:home")
    else:
        form = form_class(site=site, record=record, initial=initial)
    context = {"form": form, "record": record, "kind": kind, "Status": RecordStatus}
    return render(request, "records/edit.html", context, status=400 if form.errors else 200)


def _tell_outcome(request, outcome):
    status = outcome.record.status
    if outcome.needs_revalidation:
        messages.warning(
            request,
            _("You changed important information: your record must be validated again. We sent you an e-mail."),
        )
    elif outcome.status_changed and status == RecordStatus.VALIDATED:
        messages.success(request, _("Your record is complete and validated."))
    elif outcome.status_changed and status == RecordStatus.TO_VALIDATE:
        messages.success(request, _("Your record is saved and sent for validation."))
    else:
        messages.success(request, _("Your record is saved."))


def _search_results(request, options, field_name):
    query = request.GET.get("q", "")[:100]
    context = {
        "options": options,
        "field_name": field_name,
        "query": query,
        "too_short": not search_is_long_enough(query),
    }
    return render(request, "records/_school_results.html", context)


@require_GET
@login_required
def school_search(request):
    query = request.GET.get("q", "")[:100]
    return _search_results(request, selectors.search_schools(request.site, query), "school_choice")


@require_GET
@login_required
def institution_search(request):
    query = request.GET.get("q", "")[:100]
    return _search_results(request, selectors.search_institutions(query), "institution_choice")
