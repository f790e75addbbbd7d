"""Back-office pages for courses, events and their speakers, and the speakers' own slots.

Thin: ``@back_office_view`` lets staff in; each object is looked up in the current site
among those the person sees (else 404), then :mod:`apps.accounts.policy` says whether they
may change it (else 403). Rules live in apps.catalogue.offer_services, reads in offer_selectors.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import Role
from apps.accounts.policy import Action, can
from apps.backoffice.lists import list_page
from apps.backoffice.log.history import history_context
from apps.catalogue import offer_selectors, offer_services
from apps.staff.guard import back_office_view

from .filters import CourseFilter, EventFilter
from .forms import CourseForm, EventForm, InviteSpeakerForm, PublishForm, SpeakersForm
from .tables import CourseTable, EventTable

KINDS = {
    "course": {
        "rows": offer_selectors.course_rows,
        "filters": CourseFilter,
        "table": CourseTable,
        "form": CourseForm,
        "create": offer_services.create_course,
        "update": offer_services.update_course,
        "title": lambda: _("Courses"),
        "new": lambda: _("New course"),
    },
    "event": {
        "rows": offer_selectors.event_rows,
        "filters": EventFilter,
        "table": EventTable,
        "form": EventForm,
        "create": offer_services.create_event,
        "update": offer_services.update_event,
        "title": lambda: _("Events"),
        "new": lambda: _("New event"),
    },
}


def _get(request, kind, pk, action=Action.VIEW):
    """The course or event, if the person sees it (else 404) and may do ``action`` (else 403)."""
    obj = offer_selectors.get_offer(request.actor, request.site, kind, pk)
    if obj is None:
        raise Http404
    if action != Action.VIEW and not can(request.actor, action, obj, request.site):
        raise PermissionDenied
    return obj


def _context(kind, obj=None, **extra):
    urls = {"list": reverse(f"backoffice:offer_{kind}_list")}
    if obj is not None:
        for name in ("detail", "edit", "delete", "publish", "speakers", "invite_speaker"):
            urls[name] = reverse(f"backoffice:offer_{kind}_{name}", args=[obj.pk])
    return {"kind": kind, "kind_title": KINDS[kind]["title"](), "obj": obj, "urls": urls, **extra}


def _may_create(request, kind):
    """Whether the "new" page makes sense: the person manages some offer (each choice is checked)."""
    actor = request.actor
    return actor.is_master or bool(actor.managed_establishments or actor.managed_structures or actor.host_high_schools)


@back_office_view
def offer_list(request, kind):
    config = KINDS[kind]
    redirect_to, filterset, table = list_page(
        request,
        key=f"offer_{kind}s",
        queryset=config["rows"](request.actor, request.site),
        filterset_class=config["filters"],
        table_class=config["table"],
    )
    if redirect_to is not None:
        return redirect_to
    context = _context(kind, filterset=filterset, table=table, may_create=_may_create(request, kind))
    return render(request, "backoffice/offer/list.html", context)


@back_office_view
def offer_detail(request, kind, pk):
    obj = _get(request, kind, pk)
    site, actor = request.site, request.actor
    context = _context(
        kind,
        obj=obj,
        may_change=can(actor, Action.CHANGE, obj, site),
        may_delete=can(actor, Action.DELETE, obj, site),
        speakers=list(obj.speakers.order_by("last_name", "first_name")),
        slots=offer_selectors.upcoming_slots(obj),
    )
    return render(request, "backoffice/offer/detail.html", context)


def _save_form(request, kind, obj=None):
    config = KINDS[kind]
    site, actor = request.site, request.actor
    form = config["form"](request.POST or None, actor=actor, site=site, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            if obj is None:
                obj = config["create"](actor, site, **form.cleaned_data)
            else:
                obj = config["update"](actor, site, obj, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        except PermissionDenied:
            form.add_error(None, _("You may not save it there."))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"backoffice:offer_{kind}_detail", pk=obj.pk)
    context = _context(kind, form=form, obj=obj, page_title=str(obj) if obj else config["new"]())
    if obj is not None:
        context.update(history_context(request, obj))
    return render(request, "backoffice/offer/form.html", context, status=400 if form.errors else 200)


@back_office_view
@require_http_methods(["GET", "POST"])
def offer_create(request, kind):
    if not _may_create(request, kind):
        raise PermissionDenied
    return _save_form(request, kind)


@back_office_view
@require_http_methods(["GET", "POST"])
def offer_edit(request, kind, pk):
    return _save_form(request, kind, _get(request, kind, pk, Action.CHANGE))


@back_office_view
@require_POST
def offer_delete(request, kind, pk):
    obj = _get(request, kind, pk, Action.DELETE)
    try:
        offer_services.delete_offer(request.actor, request.site, obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"backoffice:offer_{kind}_detail", pk=pk)
    messages.success(request, _("“%(label)s” is deleted.") % {"label": obj.label})
    return redirect(f"backoffice:offer_{kind}_list")


@back_office_view
@require_POST
def offer_publish(request, kind, pk):
    obj = _get(request, kind, pk, Action.CHANGE)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish or unpublish."))
    else:
        offer_services.set_published(request.actor, request.site, obj, form.cleaned_data["published"])
        messages.success(request, _("Published.") if obj.published else _("Unpublished."))
    target = request.POST.get("next", "")
    if target == "list":
        return redirect(f"backoffice:offer_{kind}_list")
    return redirect(f"backoffice:offer_{kind}_detail", pk=pk)


def _speakers_page(request, kind, obj, speakers_form, invite_form, status=200):
    site, actor = request.site, request.actor
    context = _context(
        kind,
        obj=obj,
        speakers_form=speakers_form,
        invite_form=invite_form,
        may_invite=offer_services.may_invite_speakers(actor, site, obj),
    )
    return render(request, "backoffice/offer/speakers.html", context, status=status)


@back_office_view
@require_http_methods(["GET", "POST"])
def offer_speakers(request, kind, pk):
    obj = _get(request, kind, pk, Action.CHANGE)
    site, actor = request.site, request.actor
    form = SpeakersForm(request.POST or None, site=site, obj=obj)
    if request.method == "POST" and form.is_valid():
        try:
            offer_services.set_speakers(actor, site, obj, form.cleaned_data["speakers"])
        except ValidationError as error:
            form.add_error("speakers", error.messages)
        else:
            messages.success(request, _("The speakers are saved."))
            return redirect(f"backoffice:offer_{kind}_detail", pk=pk)
    return _speakers_page(request, kind, obj, form, InviteSpeakerForm(), 400 if form.errors else 200)


@back_office_view
@require_http_methods(["GET", "POST"])
def offer_invite_speaker(request, kind, pk):
    obj = _get(request, kind, pk, Action.CHANGE)
    site, actor = request.site, request.actor
    if not offer_services.may_invite_speakers(actor, site, obj):
        raise PermissionDenied
    form = InviteSpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = offer_services.invite_speaker(actor, site, obj, **data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        except PermissionDenied:
            form.add_error(None, _("You may not invite speakers there."))
        else:
            if invitation is not None and not invitation.sent:
                messages.warning(request, _("The speaker is added, but the e-mail could not be sent."))
            else:
                messages.success(request, _("The speaker is added and has been told by e-mail."))
            return redirect(f"backoffice:offer_{kind}_detail", pk=pk)
    speakers_form = SpeakersForm(site=site, obj=obj)
    return _speakers_page(request, kind, obj, speakers_form, form, 400 if form.errors else 200)


# --- The speakers' own slots ---------------------------------------------------------------


@back_office_view
def my_slots(request):
    actor = request.actor
    if Role.SPEAKER not in actor.roles:
        raise PermissionDenied
    past = request.GET.get("tab") == "past"
    rows = offer_selectors.my_slots(actor, request.site, past=past)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "backoffice/offer/my_slots.html", {"page_obj": page, "past": past})
