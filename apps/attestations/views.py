"""My documents, and the two views that serve private files after checking rights.

Files are never reachable by URL: every download goes through :func:`download` or
:func:`template`, which look the row up in the current site and answer 404 to anybody
who may not read it (whether it exists or not). A download of somebody else's document
is recorded in the action log (``services.record_download``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.policy import Action, actor_for, can

from . import selectors, services
from .forms import UploadForm
from .models import Attestation, AttestationType
from .storage import attestation_storage
from .validators import display_name


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    site = request.site
    documents = selectors.my_documents(site, request.user)
    statuses = documents["mandatory"] + documents["optional"]
    bound = None
    if request.method == "POST":
        chosen = request.POST.get("attestation_type", "")
        status = next((s for s in statuses if str(s.attestation_type.pk) == chosen), None)
        if status is None:
            messages.error(request, _("This document is not asked of you. Choose one in the list."))
            return redirect("attestations:mine")
        bound = UploadForm(request.POST, request.FILES, attestation_type=status.attestation_type)
        if bound.is_valid():
            try:
                services.upload_attestation(
                    site,
                    request.user,
                    status.attestation_type,
                    bound.cleaned_data.get("file"),
                    bound.cleaned_data.get("validity_date"),
                )
            except ValidationError as error:
                bound.add_error(None, error)
            else:
                messages.success(request, _("“%(type)s” has been received.") % {"type": status.attestation_type.label})
                return redirect("attestations:mine")
    for status in statuses:
        if bound is not None and bound.attestation_type.pk == status.attestation_type.pk:
            status.form = bound
        else:
            status.form = UploadForm(attestation_type=status.attestation_type)
    failed = bound.attestation_type if bound is not None else None
    return render(request, "attestations/mine.html", {**documents, "failed": failed})


def _may_read(request, attestation):
    """The owner, the validators of the owner's record, the master referent (and operator)."""
    user, site = request.user, request.site
    if attestation.user_id == user.pk:
        return True
    actor = actor_for(user, site)
    if actor.is_master:
        return True
    records = selectors.registrant_records(site, attestation.user_id)
    return any(can(actor, Action.VALIDATE, record, site) for record in records)


def private_file_response(name, content_type, filename):
    try:
        handle = attestation_storage().open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_http_methods(["GET"])
def download(request, pk):
    attestation = (
        Attestation.objects.filter(site=request.site, pk=pk).select_related("user", "attestation_type").first()
    )
    if attestation is None or not attestation.file or not _may_read(request, attestation):
        raise Http404
    response = private_file_response(attestation.file.name, attestation.content_type, attestation.download_name())
    services.record_download(attestation, site=request.site, actor=request.user)
    return response


@login_required
@require_http_methods(["GET"])
def template(request, pk):
    attestation_type = get_object_or_404(AttestationType, site=request.site, pk=pk, is_active=True)
    if not attestation_type.template_file:
        raise Http404
    content_type = attestation_type.template_content_type or "application/octet-stream"
    filename = display_name(attestation_type.template_original_name or attestation_type.label, content_type)
    return private_file_response(attestation_type.template_file.name, content_type, filename)
