"""The site-management pages of the master referent (and the operator): what only the Django
admin could edit before. Attestation types, the charter's versions, the sign-in methods, and
the site's host names (read only: the operator sets them)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.policy import Action, can
from apps.attestations.models import AttestationType
from apps.backoffice.reference.guards import master_view
from apps.federation.saml import sp_entity_id
from apps.staff.models import Charter
from apps.tenancy.models import SiteHost

from . import services
from .forms import AttestationTypeForm, CharterForm, SignInSettingsForm


def _row(request, model, pk, action=Action.VIEW):
    obj = get_object_or_404(model.objects.filter(site=request.site), pk=pk)
    if not can(request.actor, action, obj, request.site):
        raise PermissionDenied
    return obj


def _posted(request):
    """The posted data, even empty (an empty form is a bound form with errors, not a blank page)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _form_page(request, template, form, context):
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


# --- Host names (read only) ---------------------------------------------------------------


@master_view
def host_names(request):
    hosts = list(SiteHost.objects.filter(site=request.site).order_by("-is_primary", "host"))
    return render(request, "backoffice/site/host_names.html", {"hosts": hosts})


# --- Attestation types --------------------------------------------------------------------


@master_view
def attestation_types(request):
    rows = list(AttestationType.objects.filter(site=request.site).order_by("position", "label"))
    return render(request, "backoffice/site/attestation_types.html", {"rows": rows})


@master_view
@require_http_methods(["GET", "POST"])
def attestation_type_create(request):
    return _attestation_type_form(request, AttestationType(site=request.site))


@master_view
@require_http_methods(["GET", "POST"])
def attestation_type_edit(request, pk):
    return _attestation_type_form(request, _row(request, AttestationType, pk, Action.CHANGE))


def _attestation_type_form(request, obj):
    site, actor = request.site, request.actor
    if obj.pk is None and not can(actor, Action.ADD, obj, site):
        raise PermissionDenied
    form = AttestationTypeForm(*_posted(request), instance=obj, site=site)
    if request.method == "POST" and form.is_valid():
        saved = services.save_attestation_type(form, actor=actor, site=site)
        if saved is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved})
            return redirect("backoffice:attestation_types")
    file_url = reverse("attestations:template", args=[obj.pk]) if obj.pk and obj.template_file else ""
    context = {"obj": obj if obj.pk else None, "file_url": file_url}
    return _form_page(request, "backoffice/site/attestation_type_form.html", form, context)


# --- The charter's versions ---------------------------------------------------------------


@master_view
def charters(request):
    rows = list(Charter.objects.filter(site=request.site).order_by("-published_at", "-pk"))
    current = next((row for row in rows if row.published_at), None)
    return render(request, "backoffice/site/charters.html", {"rows": rows, "current": current})


@master_view
@require_http_methods(["GET", "POST"])
def charter_create(request):
    obj = Charter(site=request.site)
    if not can(request.actor, Action.ADD, obj, request.site):
        raise PermissionDenied
    return _charter_form(request, obj)


@master_view
@require_http_methods(["GET", "POST"])
def charter_edit(request, pk):
    return _charter_form(request, _row(request, Charter, pk, Action.CHANGE))


def _charter_form(request, obj):
    site, actor = request.site, request.actor
    published = obj.published_at is not None
    form = CharterForm(None if published else _posted(request)[0], instance=obj, site=site)
    if published:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and published:
        messages.error(request, _("A published version of the charter cannot be changed: add a new version."))
        return redirect("backoffice:charters_edit", obj.pk)
    if request.method == "POST" and form.is_valid():
        saved = services.save_charter(form, actor=actor, site=site)
        if saved is not None:
            messages.success(request, _("The charter's version %(version)s was saved.") % {"version": saved.version})
            return redirect("backoffice:charters")
    context = {"obj": obj if obj.pk else None, "published": published}
    return _form_page(request, "backoffice/site/charter_form.html", form, context)


@master_view
@require_POST
def charter_publish(request, pk):
    charter = _row(request, Charter, pk, Action.CHANGE)
    try:
        services.publish_charter(charter, actor=request.actor, site=request.site)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(version)s of the charter is published: host establishments and high schools sign it next.")
            % {"version": charter.version},
        )
    return redirect("backoffice:charters")


# --- Sign-in methods ------------------------------------------------------------------------


@master_view
@require_http_methods(["GET", "POST"])
def sign_in_settings(request):
    site, actor = request.site, request.actor
    obj = services.sign_in_settings_for(site)
    if not can(actor, Action.CHANGE if obj.pk else Action.ADD, obj, site):
        raise PermissionDenied
    form = SignInSettingsForm(_posted(request)[0], instance=obj, site=site)
    saved = (
        request.method == "POST" and form.is_valid() and services.save_sign_in_settings(form, actor=actor, site=site)
    )
    if saved:
        messages.success(request, _("The sign-in methods were saved."))
        return redirect("backoffice:sign_in_settings")
    entity_id = sp_entity_id(site) if site.primary_host else ""
    return _form_page(request, "backoffice/site/sign_in.html", form, {"entity_id": entity_id})
