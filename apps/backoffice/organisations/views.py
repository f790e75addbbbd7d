"""Back-office pages of establishments, high schools, structures, campuses, buildings, trainings.

Thin and generic: each kind of row is described once in :data:`KINDS` (its model, form, list,
services); rights come from ``@back_office_view`` and :mod:`apps.accounts.policy`, rules from
:mod:`apps.organisations.services`, reads from :mod:`apps.organisations.selectors`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.policy import Action, can
from apps.backoffice.lists import list_page
from apps.backoffice.log.history import history_context
from apps.catalogue.models import Training
from apps.organisations import selectors, services
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.staff.guard import back_office_view

from . import filters, forms, tables

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Kind:
    key: str
    model: type
    form_class: type
    filterset_class: type
    table_class: type
    rows: Callable  # (actor, site) -> queryset of the list
    may_list: Callable  # (actor) -> bool
    may_add: Callable  # (actor) -> bool: worth showing the form (the policy judges the row)
    create: Callable
    update: Callable
    deactivate: Callable
    delete: Callable | None
    title: Promise
    add_title: Promise
    related: tuple = ()
    places_tab: bool = False
    search: str = ""  # URL name of the directory search, for the master's forms
    deactivate_action: str = Action.CHANGE  # the policy action deactivating takes

    def url(self, action):
        return f"backoffice:organisations_{self.key}_{action}"


def _master(actor):
    return actor.is_master


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "establishment", Establishment, forms.EstablishmentForm, filters.EstablishmentFilter,
            tables.EstablishmentTable, selectors.establishment_list, selectors.manages_places, _master,
            services.create_establishment, services.update_establishment, services.deactivate_establishment,
            services.delete_establishment, gettext_lazy("Establishments"), gettext_lazy("Add a host establishment"),
            search="backoffice:organisations_institution_search", deactivate_action=Action.DELETE,
        ),
        Kind(
            "highschool", HighSchool, forms.HighSchoolForm, filters.HighSchoolFilter, tables.HighSchoolTable,
            lambda actor, site: selectors.high_school_list(site), _master, _master,
            services.create_high_school, services.update_high_school, services.deactivate_high_school, None,
            gettext_lazy("High schools"), gettext_lazy("Add a high school"),
            search="backoffice:organisations_school_search",
        ),
        Kind(
            "structure", Structure, forms.StructureForm, filters.StructureFilter, tables.StructureTable,
            selectors.structure_list, selectors.manages_places, selectors.manages_places,
            services.create_structure, services.update_structure, services.deactivate_structure,
            services.delete_structure, gettext_lazy("Structures"), gettext_lazy("Add a structure"),
            related=("establishment",), places_tab=True,
        ),
        Kind(
            "campus", Campus, forms.CampusForm, filters.CampusFilter, tables.CampusTable,
            selectors.campus_list, selectors.manages_places, selectors.manages_places,
            services.create_campus, services.update_campus, services.deactivate_campus, services.delete_campus,
            gettext_lazy("Campuses"), gettext_lazy("Add a campus"), related=("establishment",), places_tab=True,
        ),
        Kind(
            "building", Building, forms.BuildingForm, filters.BuildingFilter, tables.BuildingTable,
            selectors.building_list, selectors.manages_places, selectors.manages_places,
            services.create_building, services.update_building, services.deactivate_building,
            services.delete_building, gettext_lazy("Buildings"), gettext_lazy("Add a building"),
            related=("campus__establishment",), places_tab=True,
        ),
        Kind(
            "training", Training, forms.TrainingForm, filters.TrainingFilter, tables.TrainingTable,
            selectors.training_list, selectors.sees_trainings, selectors.adds_trainings,
            services.create_training, services.update_training, services.deactivate_training,
            services.delete_training, gettext_lazy("Trainings"), gettext_lazy("Add a training"),
            related=("structure__establishment", "high_school"),
        ),
    )
}  # fmt: skip


def _object(request, kind, pk, action):
    """The row, if in this site; 404 when the person may not see it, 403 when they may not ``action`` it."""
    if pk > MAX_ID:
        raise Http404
    obj = kind.model.objects.filter(site=request.site, pk=pk).select_related(*kind.related).first()
    if obj is None or not can(request.actor, Action.VIEW, obj, request.site):
        raise Http404
    if not can(request.actor, action, obj, request.site):
        raise PermissionDenied
    return obj


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _context(request, kind, **extra):
    actor = request.actor
    return {
        "kind": kind,
        "title": kind.title,
        "list_url": kind.url("list"),
        "places_tab": kind.places_tab,
        "may_add": kind.may_add(actor),
        **extra,
    }


def list_view(request, key):
    kind, actor, site = KINDS[key], request.actor, request.site
    if not kind.may_list(actor):
        raise PermissionDenied
    response, filterset, table = list_page(
        request,
        key=f"organisations_{key}",
        queryset=kind.rows(actor, site),
        filterset_class=kind.filterset_class,
        table_class=kind.table_class,
        table_kwargs={"actor": actor, "site": site},
    )
    if response is not None:
        return response
    context = _context(request, kind, filterset=filterset, table=table, add_url=kind.url("create"))
    return render(request, "backoffice/organisations/list.html", context)


def _form_page(request, kind, form, obj=None):
    actor, site = request.actor, request.site
    context = _context(
        request,
        kind,
        form=form,
        obj=obj,
        heading=kind.add_title if obj is None else _("Change %(name)s") % {"name": obj},
        search_url=kind.search if actor.is_master else "",
        deactivate_url=kind.url("deactivate"),
        delete_url=kind.url("delete"),
        may_deactivate=obj is not None and obj.is_active and can(actor, kind.deactivate_action, obj, site),
        may_delete=obj is not None and kind.delete is not None and can(actor, Action.DELETE, obj, site),
        **history_context(request, obj),
    )
    return render(request, "backoffice/organisations/form.html", context, status=400 if form.errors else 200)


def _save(request, kind, form, obj, action):
    """Check the policy on the row as the form would leave it, then call the service."""
    actor, site = request.actor, request.site
    if not can(actor, action, form.instance, site):
        form.add_error(None, _("You may not put it there."))
        return None
    try:
        if obj is None:
            return kind.create(site, actor=request.user, **form.changes())
        return kind.update(site, obj, actor=request.user, **form.changes())
    except ValidationError as error:
        _add_errors(form, error)
        return None


def create_view(request, key):
    kind, actor, site = KINDS[key], request.actor, request.site
    if not kind.may_add(actor):
        raise PermissionDenied
    form = kind.form_class(request.POST or None, actor=actor, site=site)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, kind, form, None, Action.ADD)
        if saved is not None:
            messages.success(request, _("“%(name)s” is added.") % {"name": saved})
            return redirect(kind.url("list"))
    return _form_page(request, kind, form)


def edit_view(request, key, pk):
    kind, actor, site = KINDS[key], request.actor, request.site
    obj = _object(request, kind, pk, Action.CHANGE)
    form = kind.form_class(request.POST or None, instance=obj, actor=actor, site=site)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, kind, form, obj, Action.CHANGE)
        if saved is not None:
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved})
            return redirect(kind.url("list") if kind.may_list(actor) else "staff:home")
    return _form_page(request, kind, form, obj)


def deactivate_view(request, key, pk):
    kind = KINDS[key]
    obj = _object(request, kind, pk, kind.deactivate_action)
    try:
        kind.deactivate(request.site, obj, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(kind.url("edit"), pk=obj.pk)
    messages.success(request, _("“%(name)s” is deactivated.") % {"name": obj})
    return redirect(kind.url("list"))


def delete_view(request, key, pk):
    kind = KINDS[key]
    obj = _object(request, kind, pk, Action.DELETE)
    name = str(obj)
    try:
        kind.delete(request.site, obj, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(kind.url("edit"), pk=pk)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
    return redirect(kind.url("list"))


def _guarded(view, methods):
    return back_office_view(require_http_methods(methods)(view))


list_page_view = _guarded(list_view, ["GET"])
create_page_view = _guarded(create_view, ["GET", "POST"])
edit_page_view = _guarded(edit_view, ["GET", "POST"])
deactivate_action_view = back_office_view(require_POST(deactivate_view))
delete_action_view = back_office_view(require_POST(delete_view))


# --- Directory search (htmx), for the master's establishment and high-school forms ------------------


@back_office_view
@require_GET
def institution_search(request):
    if not request.actor.is_master:
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    results = selectors.search_institutions(request.site, query)
    context = {"results": results, "query": query, "too_short": len(query.strip()) < 2}
    return render(request, "backoffice/organisations/_directory_results.html", context)


@back_office_view
@require_GET
def school_search(request):
    if not request.actor.is_master:
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    results = selectors.search_schools(request.site, query)
    context = {"results": results, "query": query, "too_short": len(query.strip()) < 2}
    return render(request, "backoffice/organisations/_directory_results.html", context)
