"""The master referent's review of possible duplicate accounts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.staff.guard import back_office_view

from . import selectors, services
from .forms import MERGE, ReviewForm

PAGE_SIZE = 50


def _require_master(request):
    # Reviewing and merging accounts is the master referent's (and the operator's) alone.
    if not request.actor.is_master:
        raise PermissionDenied


@back_office_view
def candidate_list(request):
    _require_master(request)
    page = Paginator(selectors.open_candidates(request.site), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.pair_rows(request.site, page.object_list)
    return render(request, "duplicates/list.html", {"page": page, "rows": rows})


@back_office_view
def review(request, pk):
    _require_master(request)
    candidate = selectors.candidate_for_review(request.site, pk)
    if candidate is None:
        raise Http404
    form = ReviewForm(request.POST or None, candidate=candidate)
    status = 200
    if request.method == "POST":
        if not candidate.is_open:
            messages.error(request, _("This pair has already been reviewed."))
            return redirect("duplicates:list")
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == MERGE:
                    result = services.merge_candidate(candidate, kept=form.kept, by=request.user)
                    messages.success(
                        request,
                        _("The accounts are merged into %(name)s.") % {"name": result.kept.get_full_name()},
                    )
                else:
                    services.mark_not_duplicate(candidate, by=request.user)
                    messages.success(request, _("The pair is marked as not a duplicate."))
                return redirect("duplicates:list")
            except services.ReviewRefused as refusal:
                messages.error(request, refusal.message)
            except (ProtectedError, RestrictedError):
                messages.error(request, _("These accounts cannot be merged: some of their data may not move."))
        status = 400
    row = selectors.pair_rows(request.site, [candidate])[0]
    return render(request, "duplicates/review.html", {"row": row, "form": form}, status=status)
