"""The signed-in person's own data: see it, export it, change consents, delete the account.

Nothing here takes an id from the request: every page acts on ``request.user`` only.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ConsentForm, DeleteAccountForm


@login_required
def home(request):
    data = selectors.my_data(request.site, request.user)
    consent_form = ConsentForm.for_record(data.pupil_record) if data.pupil_record else None
    return render(request, "privacy/home.html", {"data": data, "consent_form": consent_form})


@login_required
@require_POST
def consents(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():  # pragma: no cover - two optional check boxes are always valid
        messages.error(request, _("Your consents could not be saved."))
        return redirect("privacy:home")
    changed = services.update_consents(
        request.site,
        request.user,
        high_school_sees_immersions=form.cleaned_data["high_school_sees_immersions"],
        name_visible_to_registrants=form.cleaned_data["name_visible_to_registrants"],
    )
    if changed:
        messages.success(request, _("Your consents are saved."))
    else:
        messages.error(request, _("You have no pupil record on this site: there is no consent to change."))
    return redirect("privacy:home")


@login_required
@never_cache
def export(request):
    data = selectors.export_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete(request):
    blockers = services.deletion_blockers(request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user, request=request)
    status = 200
    if request.method == "POST" and not blockers:
        if form.is_valid():
            try:
                services.delete_account(request.user, site=request.site)
            except services.DeletionRefused as refusal:
                messages.error(request, refusal.message)
            else:
                logout(request)
                messages.success(request, _("Your account and your data are deleted."))
                return redirect("portal:home")
        status = 400
    elif request.method == "POST":
        status = 403
    context = {"form": form, "blockers": blockers}
    return render(request, "privacy/delete.html", context, status=status)
