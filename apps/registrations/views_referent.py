"""A high-school referent's pages: their pupils' immersions, registering pupils and groups.

Only referents of a high school on the current site see these pages (anyone else: 404).
Every object is looked up inside the current site and among the referent's high schools
(another high school's pupil, registration or group: 404 or, for selected pupils, a
message and nothing done). The decisions are the rule book's (:mod:`.rules`, for pupils and
groups alike), taken again by the services (:mod:`.services`, :mod:`.groups`) when they
write; these views translate them into pages and messages.

The class-list download is the exception: managers of the slot see it too (the policy's
``VIEW`` on the group registration decides).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.policy import Action, can
from apps.catalogue.models import Slot
from apps.core.storage import private_storage

from . import groups as group_services
from . import referent_selectors as selectors
from . import rules, services
from .log import record_download
from .models import GroupRegistration, Status
from .referent_forms import CancelPupilForm, GroupForm
from .rules import Code
from .validators import class_list_content_type, class_list_name

PUPILS_PER_PAGE = 25  # each listed pupil costs one engine evaluation (about ten queries)
ROWS_PER_PAGE = 50
MAX_SELECTED = 4 * PUPILS_PER_PAGE  # each selected pupil is one locked registration attempt


def _referent_ids(request):
    """The high schools the signed-in person is referent of on this site; 404 when none."""
    ids = selectors.referent_high_school_ids(request.user, request.site)
    if not ids:
        raise Http404
    return ids


def _visible_slot(request, slot_pk):
    slot = get_object_or_404(
        Slot.objects.select_related(
            "period", "course__training__structure", "course_type", "event", "campus", "building", "place_high_school"
        ),
        site=request.site,
        pk=slot_pk,
    )
    if not can(request.user, Action.VIEW, slot, request.site):
        raise Http404
    return slot


def _when(request):
    when = request.GET.get("when", "upcoming")
    return when if when in selectors.WHEN_CHOICES else "upcoming"


def _when_choices():
    return [("upcoming", _("Upcoming")), ("past", _("Past")), ("cancelled", _("Cancelled")), ("all", _("All"))]


def _query_string(**params):
    return urlencode({k: v for k, v in params.items() if v})


# --- My pupils' immersions ---------------------------------------------------------------------


@login_required
@require_GET
def pupils_immersions(request):
    ids = _referent_ids(request)
    when, name = _when(request), request.GET.get("q", "").strip()[:100]
    found = selectors.pupils_immersions(request.site, request.user, ids, when=when, name=name)
    page = Paginator(found.registrations, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "registrations": selectors.decorate_page(page.object_list),
        "hidden_pupils": found.hidden_pupils,
        "when": when,
        "name": name,
        "filters": _query_string(when=when, q=name),
        "when_choices": _when_choices(),
    }
    return render(request, "registrations/referent/pupils_immersions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_pupil_registration(request, pk):
    ids = _referent_ids(request)
    registration = get_object_or_404(
        selectors.visible_registrations(request.site, request.user, ids).select_related(
            "person", *selectors.SLOT_RELATED
        ),
        pk=pk,
    )
    problem = rules.cancellation_problem(registration, by=request.user, site=request.site)
    form = CancelPupilForm(request.POST if request.method == "POST" else None, site=request.site)
    status = 200
    if request.method == "POST":
        if registration.status != Status.ACTIVE:  # a repeated submission: the first one cancelled it
            messages.info(request, _("This registration was already cancelled."))
            return redirect("registrations:pupils_immersions")
        if problem:
            messages.error(request, problem)
            return redirect("registrations:pupils_immersions")
        if form.is_valid():
            try:
                cancelled = services.cancel_registration(
                    registration,
                    by=request.user,
                    reason=form.cleaned_data.get("reason"),
                    check=True,
                )
            except services.CancellationRefused as refused:
                messages.error(request, str(refused))
            else:
                if cancelled:
                    messages.success(
                        request,
                        _("The registration of %(pupil)s on %(slot)s is cancelled.")
                        % {"pupil": registration.person.get_full_name(), "slot": registration.slot},
                    )
                else:
                    messages.info(request, _("This registration was already cancelled."))
            return redirect("registrations:pupils_immersions")
        status = 400
    context = {"registration": registration, "form": form, "problem": problem}
    return render(request, "registrations/referent/cancel_pupil.html", context, status=status)


# --- Registering pupils --------------------------------------------------------------------------


def _pupil_ids(values):
    ids = set()
    for value in values:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            return None
    return ids


def _register_selected(request, slot, ids):
    chosen = _pupil_ids(request.POST.getlist("pupils"))
    if chosen is None:
        messages.error(request, _("The selection could not be read; nobody was registered. Try again."))
        return
    if not chosen:
        messages.warning(request, _("Select at least one pupil."))
        return
    if len(chosen) > MAX_SELECTED:
        messages.error(
            request, _("Select at most %(max)d pupils at a time; nobody was registered.") % {"max": MAX_SELECTED}
        )
        return
    records = list(selectors.pupils_of(request.site, ids).filter(pk__in=chosen).select_related("user"))
    strangers = len(chosen) - len(records)
    if strangers:
        messages.error(
            request,
            _("%(count)d selected people are not pupils of your high schools; nothing was done for them.")
            % {"count": strangers},
        )
    registered = []
    for record in sorted(records, key=lambda r: (r.user.last_name, r.user.first_name, r.pk)):
        name = record.user.get_full_name()
        try:
            services.register(slot, record.user, by=request.user)
        except services.RegistrationRefused as refused:
            # What the referent may know: nothing of the immersions of a pupil who did not share them.
            decision = rules.as_seen_by(refused.decision, request.user, request.site)
            if Code.ALREADY_REGISTERED in decision.codes:  # a repeated submission, or registered before
                messages.info(request, _("%(pupil)s: already registered on this slot.") % {"pupil": name})
            else:
                messages.error(request, _("%(pupil)s: %(reason)s") % {"pupil": name, "reason": decision.message})
        else:
            registered.append(name)
    if registered:
        messages.success(
            request,
            _("Registered on %(slot)s: %(pupils)s. They receive a confirmation e-mail.")
            % {"slot": slot, "pupils": ", ".join(registered)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def register_pupils(request, slot_pk):
    ids = _referent_ids(request)
    slot = _visible_slot(request, slot_pk)
    source = request.POST if request.method == "POST" else request.GET
    class_name, name = source.get("class", "").strip()[:40], source.get("q", "").strip()[:100]
    if request.method == "POST":
        _register_selected(request, slot, ids)
        url = reverse("registrations:register_pupils", args=[slot.pk])
        query = _query_string(**{"class": class_name, "q": name, "page": source.get("page", "")})
        return redirect(f"{url}?{query}" if query else url)
    pupils = selectors.registrable_pupils(request.site, ids, class_name=class_name, name=name)
    page = Paginator(pupils, PUPILS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for record in page.object_list:
        decision = rules.as_seen_by(
            rules.evaluate(slot, record.user, by=request.user, site=request.site, record=record),
            request.user,
            request.site,
        )
        rows.append(
            {
                "record": record,
                "decision": decision,
                "already": Code.ALREADY_REGISTERED in decision.codes,
                "undisclosed": Code.UNDISCLOSED in decision.codes,
            }
        )
    context = {
        "slot": slot,
        "page": page,
        "rows": rows,
        "eligible": sum(1 for row in rows if row["decision"].allowed),
        "class_names": selectors.class_names(request.site, ids),
        "class_name": class_name,
        "name": name,
        "filters": _query_string(**{"class": class_name, "q": name}),
    }
    return render(request, "registrations/referent/register_pupils.html", context)


# --- Groups --------------------------------------------------------------------------------------


@login_required
@require_GET
def groups(request):
    ids = _referent_ids(request)
    when = _when(request)
    queryset = selectors.group_registrations(request.site, ids, when=when)
    page = Paginator(queryset, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "groups": selectors.decorate_page(page.object_list),
        "when": when,
        "filters": _query_string(when=when),
        "when_choices": _when_choices(),
    }
    return render(request, "registrations/referent/groups.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register_group(request, slot_pk):
    ids = _referent_ids(request)
    slot = _visible_slot(request, slot_pk)
    high_schools = list(selectors.referent_high_schools(request.site, ids))
    decisions = [
        (high_school, rules.evaluate_group(slot, high_school, by=request.user, site=request.site))
        for high_school in high_schools
    ]
    open_to = [high_school.pk for high_school, decision in decisions if decision.allowed]
    context = {
        "slot": slot,
        "decisions": decisions,
        "places_left": rules.group_places_left(slot),
        "one_group": slot.group_mode == Slot.GroupMode.ONE_GROUP,
        "form": None,
    }
    bound = request.method == "POST"
    if not open_to and not bound:
        return render(request, "registrations/referent/register_group.html", context)
    # Posted when nothing is open (any more): the engine still answers, for the one case it may
    # accept: this very group, registered a moment ago by the first of two submissions.
    choices = selectors.referent_high_schools(request.site, open_to or ids)
    initial = {"contact_name": request.user.get_full_name(), "contact_email": request.user.email}
    form = GroupForm(
        request.POST if bound else None, request.FILES if bound else None, high_schools=choices, initial=initial
    )
    context["form"] = form
    status = 200
    if request.method == "POST":
        if form.is_valid():
            high_school = form.chosen_high_school()
            class_list = form.cleaned_data.get("class_list")
            if class_list:
                class_list.name = class_list_name(high_school, slot, form.content_type, class_list.name)
            try:
                group = group_services.register_group(
                    slot,
                    high_school,
                    by=request.user,
                    pupils_count=form.cleaned_data["pupils_count"],
                    class_list=class_list,
                    submission_key=form.submission(),
                    **form.details(),
                )
            except services.RegistrationRefused as refused:
                for refusal in refused.decision.refusals:
                    form.add_error(None, refusal.message)
                if not open_to:  # nothing was open anyway: the page says why, as on a GET
                    context["form"] = None
                    return render(request, "registrations/referent/register_group.html", context)
            else:
                if group.repeated:  # a double submission: the first one registered it
                    messages.info(
                        request,
                        _("The group of %(high_school)s is already registered on %(slot)s.")
                        % {"high_school": high_school, "slot": slot},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The group of %(high_school)s is registered on %(slot)s. "
                            "A confirmation e-mail is on its way."
                        )
                        % {"high_school": high_school, "slot": slot},
                    )
                return redirect("registrations:groups")
        elif not open_to:
            context["form"] = None
            return render(request, "registrations/referent/register_group.html", context)
        status = 400
    return render(request, "registrations/referent/register_group.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_group(request, pk):
    ids = _referent_ids(request)
    group = get_object_or_404(
        GroupRegistration.objects.select_related("high_school", *selectors.SLOT_RELATED),
        site=request.site,
        pk=pk,
        high_school_id__in=ids,
    )
    problem = rules.group_cancellation_problem(group, by=request.user, site=request.site)
    if request.method == "POST":
        try:
            cancelled = group_services.cancel_group_registration(group, by=request.user)
        except services.CancellationRefused as refused:
            messages.error(request, str(refused))
        else:
            if cancelled:
                messages.success(
                    request,
                    _("The group registration of %(high_school)s on %(slot)s is cancelled.")
                    % {"high_school": group.high_school, "slot": group.slot},
                )
            else:
                messages.info(request, _("This group registration was already cancelled."))
        return redirect("registrations:groups")
    return render(request, "registrations/referent/cancel_group.html", {"group": group, "problem": problem})


@login_required
@require_GET
def class_list(request, pk):
    """The class list of a group: for its high school's referents and the slot's managers only (else 404)."""
    group = (
        GroupRegistration.objects.filter(site=request.site, pk=pk)
        .select_related("slot__course__training__structure", "slot__event")
        .first()
    )
    if group is None or not group.class_list or not can(request.user, Action.VIEW, group, request.site):
        raise Http404
    try:
        handle = private_storage().open(group.class_list.name, "rb")
    except (FileNotFoundError, IsADirectoryError, ValueError) as error:
        raise Http404 from error
    record_download("class_list", group, actor=request.user)
    filename = group.class_list.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=class_list_content_type(filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
