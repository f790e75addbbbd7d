"""Generic list / create / edit / delete pages over a registry of kinds (see registry.py):
the reference data (``reference_*``) and the public texts (``content_*``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.policy import Action
from apps.backoffice.lists import list_page
from apps.backoffice.log.history import history_context
from apps.content.views import document_response
from apps.referentials.models import TrainingDomain, TrainingSubdomain

from . import services
from .filters import filterset_for
from .forms import form_for, style_widgets
from .guards import master_view
from .registry import CONTENT, REFERENCE, SUBDOMAIN_KIND
from .tables import table_for


def _kind(area, slug):
    kind = area.kinds.get(slug)
    if kind is None:
        raise Http404
    return kind


def _queryset(kind, site):
    queryset = kind.model.objects.filter(site=site)
    if kind.model is TrainingDomain:
        queryset = queryset.annotate(subdomain_count=Count("subdomains"))
    return queryset


def _row(request, area, kind, pk, action, queryset=None):
    """The row ``pk`` of the current site (404 otherwise), if the policy lets the actor ``action`` it (403)."""
    obj = get_object_or_404(queryset if queryset is not None else kind.model.objects.filter(site=request.site), pk=pk)
    if not area.may(request.actor, action, obj, request.site):
        raise PermissionDenied
    return obj


def _check_add(request, area, obj):
    if not area.may(request.actor, Action.ADD, obj, request.site):
        raise PermissionDenied


@master_view
def index(request):
    return render(request, "backoffice/reference/index.html", {"kinds": REFERENCE.kinds.values()})


def _list(request, area, slug):
    kind = _kind(area, slug)
    redirect_to, filterset, table = list_page(
        request,
        key=f"{area.prefix}-{kind.slug}",
        queryset=_queryset(kind, request.site),
        filterset_class=filterset_for(kind),
        table_class=table_for(area, kind),
    )
    if redirect_to is not None:
        return redirect_to
    style_widgets(filterset.form)
    context = {
        "area": area,
        "kind": kind,
        "filterset": filterset,
        "table": table,
        "add_url": reverse(area.url_name("create"), args=[kind.slug]),
    }
    return render(request, "backoffice/reference/list.html", context)


def _form_page(request, area, kind, obj, *, parents=None, extra=None, back_url):
    form_class = form_for(kind)
    form = form_class(request.POST or None, request.FILES or None, instance=obj, site=request.site, parents=parents)
    if request.method == "POST" and form.is_valid():
        saved = services.save_form(form, by=request.user, site=request.site)
        if saved is not None:
            messages.success(request, _("“%(row)s” was saved.") % {"row": saved})
            return redirect(back_url)
    context = {
        "area": area,
        "kind": kind,
        "form": form,
        "obj": obj if obj.pk else None,
        "back_url": back_url,
        **(extra or {}),
        **(history_context(request, obj) if obj.pk else {}),
    }
    return render(request, "backoffice/reference/form.html", context)


def _list_url(area, kind):
    return reverse(area.url_name("list"), args=[kind.slug])


def _create(request, area, slug):
    kind = _kind(area, slug)
    obj = kind.model(site=request.site)
    _check_add(request, area, obj)
    return _form_page(request, area, kind, obj, back_url=_list_url(area, kind))


def _edit(request, area, slug, pk):
    kind = _kind(area, slug)
    obj = _row(request, area, kind, pk, Action.CHANGE)
    extra = {}
    if kind.model is TrainingDomain:
        extra["subdomains"] = list(TrainingSubdomain.objects.filter(site=request.site, domain=obj))
    if kind.slug == "documents" and obj.file:
        extra["file_url"] = reverse("backoffice:content_document_file", args=[obj.pk])
    extra["delete_url"] = reverse(area.url_name("delete"), args=[kind.slug, obj.pk])
    return _form_page(request, area, kind, obj, extra=extra, back_url=_list_url(area, kind))


def delete_page(request, area, kind, obj, *, back_url, flag_url=None):
    """Confirm, then delete; a row in use is never deleted: the page says where it is used
    and offers to deactivate it instead."""
    uses = services.uses_of(obj)
    status = 200
    if request.method == "POST":
        try:
            services.delete_row(obj, by=request.user, site=request.site)
        except services.InUse as error:
            uses = error.uses
            status = 409
            messages.error(request, _("“%(row)s” is in use and was not deleted.") % {"row": obj})
        else:
            messages.success(request, _("“%(row)s” was deleted.") % {"row": obj})
            return redirect(back_url)
    context = {
        "area": area,
        "kind": kind,
        "obj": obj,
        "uses": uses,
        "back_url": back_url,
        "flag_url": flag_url if kind.flag == "is_active" and getattr(obj, "is_active", False) else None,
    }
    return render(request, "backoffice/reference/confirm_delete.html", context, status=status)


def _delete(request, area, slug, pk):
    kind = _kind(area, slug)
    obj = _row(request, area, kind, pk, Action.DELETE)
    flag_url = reverse(area.url_name("set_flag"), args=[kind.slug, obj.pk]) if kind.flag else None
    return delete_page(request, area, kind, obj, back_url=_list_url(area, kind), flag_url=flag_url)


def _set_flag(request, area, kind, pk, back_url=None):
    if not kind.flag:
        raise Http404
    obj = _row(request, area, kind, pk, Action.CHANGE)
    value = request.POST.get("value") == "1"
    services.set_flag(obj, kind.flag, value, by=request.user, site=request.site)
    messages.success(request, _("“%(row)s” was updated.") % {"row": obj})
    return redirect(back_url or _list_url(area, kind))


# --- Reference data -------------------------------------------------------------------

reference_list = master_view(require_http_methods(["GET"])(lambda request, kind: _list(request, REFERENCE, kind)))
reference_create = master_view(
    require_http_methods(["GET", "POST"])(lambda request, kind: _create(request, REFERENCE, kind))
)
reference_edit = master_view(
    require_http_methods(["GET", "POST"])(lambda request, kind, pk: _edit(request, REFERENCE, kind, pk))
)
reference_delete = master_view(
    require_http_methods(["GET", "POST"])(lambda request, kind, pk: _delete(request, REFERENCE, kind, pk))
)
reference_set_flag = master_view(
    require_POST(lambda request, kind, pk: _set_flag(request, REFERENCE, _kind(REFERENCE, kind), pk))
)


# --- Subdomains, within their domain ----------------------------------------------------


def _domain(request, domain_pk):
    return _row(request, REFERENCE, REFERENCE.kinds["domains"], domain_pk, Action.CHANGE)


def _subdomain(request, domain, pk, action):
    queryset = TrainingSubdomain.objects.filter(site=request.site, domain=domain)
    return _row(request, REFERENCE, SUBDOMAIN_KIND, pk, action, queryset=queryset)


def _domain_url(domain):
    return reverse("backoffice:reference_edit", args=["domains", domain.pk])


@master_view
@require_http_methods(["GET", "POST"])
def subdomain_create(request, domain_pk):
    domain = _domain(request, domain_pk)
    obj = TrainingSubdomain(site=request.site, domain=domain)
    _check_add(request, REFERENCE, obj)
    extra = {"parent": domain}
    return _form_page(
        request, REFERENCE, SUBDOMAIN_KIND, obj, parents={"domain": domain}, extra=extra, back_url=_domain_url(domain)
    )


@master_view
@require_http_methods(["GET", "POST"])
def subdomain_edit(request, domain_pk, pk):
    domain = _domain(request, domain_pk)
    obj = _subdomain(request, domain, pk, Action.CHANGE)
    extra = {"parent": domain, "delete_url": reverse("backoffice:reference_subdomain_delete", args=[domain.pk, pk])}
    return _form_page(
        request, REFERENCE, SUBDOMAIN_KIND, obj, parents={"domain": domain}, extra=extra, back_url=_domain_url(domain)
    )


@master_view
@require_http_methods(["GET", "POST"])
def subdomain_delete(request, domain_pk, pk):
    domain = _domain(request, domain_pk)
    obj = _subdomain(request, domain, pk, Action.DELETE)
    flag_url = reverse("backoffice:reference_subdomain_set_flag", args=[domain.pk, obj.pk])
    return delete_page(request, REFERENCE, SUBDOMAIN_KIND, obj, back_url=_domain_url(domain), flag_url=flag_url)


@master_view
@require_POST
def subdomain_set_flag(request, domain_pk, pk):
    domain = _domain(request, domain_pk)
    _subdomain(request, domain, pk, Action.CHANGE)
    return _set_flag(request, REFERENCE, SUBDOMAIN_KIND, pk, back_url=_domain_url(domain))


# --- Public texts -------------------------------------------------------------------------


@master_view
def content_index(request):
    return render(request, "backoffice/reference/content_index.html", {"kinds": CONTENT.kinds.values()})


content_list = master_view(require_http_methods(["GET"])(lambda request, kind: _list(request, CONTENT, kind)))
content_create = master_view(
    require_http_methods(["GET", "POST"])(lambda request, kind: _create(request, CONTENT, kind))
)
content_edit = master_view(
    require_http_methods(["GET", "POST"])(lambda request, kind, pk: _edit(request, CONTENT, kind, pk))
)
content_delete = master_view(
    require_http_methods(["GET", "POST"])(lambda request, kind, pk: _delete(request, CONTENT, kind, pk))
)
content_set_flag = master_view(
    require_POST(lambda request, kind, pk: _set_flag(request, CONTENT, _kind(CONTENT, kind), pk))
)


@master_view
@require_http_methods(["GET"])
def content_document_file(request, pk):
    document = _row(request, CONTENT, CONTENT.kinds["documents"], pk, Action.VIEW)
    return document_response(document)
