"""A registrant's own immersions: register, cancel, waiting lists, course alerts, calendar.

Every object is looked up inside the current site and, when it belongs to someone, among
the signed-in person's own rows only (another person's id is a 404). The decisions are the
engine's (:mod:`.services`, :mod:`.rules`); these views translate them into messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.catalogue.models import Course, Slot

from . import ical, rules, selectors, services
from .forms import CancelForm
from .models import CourseAlert, Status, WaitingListEntry, WaitingStatus
from .rules import Code


def _back(request, name, *args):
    """Redirect to ``next`` when it is a safe same-host URL, else to ``name`` (or my immersions)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    try:
        return redirect(reverse(name, args=args))
    except NoReverseMatch:  # the page is not there (yet): my immersions always is
        return redirect("registrations:mine")


def _refused(request, refused):
    for refusal in refused.decision.refusals:
        messages.error(request, refusal.message)


def _site_slot(request, slot_pk):
    return get_object_or_404(Slot, site=request.site, pk=slot_pk)


def _own_entry(request, pk):
    return get_object_or_404(
        WaitingListEntry.objects.select_related("slot__course", "slot__event"),
        site=request.site,
        pk=pk,
        person=request.user,
    )


# --- Registering ----------------------------------------------------------------------------


@require_POST
@login_required
def register(request, slot_pk):
    slot = _site_slot(request, slot_pk)
    try:
        services.register(slot, request.user, by=request.user)
    except services.RegistrationRefused as refused:
        if Code.ALREADY_REGISTERED in refused.decision.codes:  # a double submit: the first one worked
            messages.info(request, _("You are already registered on this slot."))
        else:
            _refused(request, refused)
    else:
        messages.success(
            request, _("You are registered: %(slot)s. A confirmation e-mail is on its way.") % {"slot": slot}
        )
    return _back(request, "portal:slot", slot.pk)


@require_POST
@login_required
def join_waiting_list(request, slot_pk):
    slot = _site_slot(request, slot_pk)
    try:
        entry = services.join_waiting_list(slot, request.user, by=request.user)
    except services.RegistrationRefused as refused:
        entry = refused.decision.waiting_entry
        if "already_waiting" in refused.decision.codes and entry is not None:  # a repeated submission
            _already_waiting(request, slot, entry)
        else:
            _refused(request, refused)
    else:
        messages.success(
            request,
            _("You are on the waiting list of %(slot)s, in position %(position)d.")
            % {"slot": slot, "position": services.waiting_position(entry)},
        )
    return _back(request, "portal:slot", slot.pk)


def _already_waiting(request, slot, entry):
    if entry.status == WaitingStatus.WAITING:
        messages.info(
            request,
            _("You are on the waiting list of %(slot)s, in position %(position)d.")
            % {"slot": slot, "position": services.waiting_position(entry)},
        )
    else:
        messages.info(request, _("A place is held for you on %(slot)s: take it from My immersions.") % {"slot": slot})


@require_POST
@login_required
def leave_waiting_list(request, pk):
    entry = _own_entry(request, pk)
    if services.leave_waiting_list(entry, by=request.user):
        messages.success(request, _("You have left the waiting list of %(slot)s.") % {"slot": entry.slot})
    elif entry.status == WaitingStatus.WITHDRAWN:  # a repeated submission
        messages.info(request, _("You have already left the waiting list of %(slot)s.") % {"slot": entry.slot})
    elif entry.status == WaitingStatus.PROMOTED and entry.registration_id:
        messages.info(
            request,
            _("You are registered on %(slot)s; to give up your place, cancel your registration.")
            % {"slot": entry.slot},
        )
    else:
        messages.info(request, _("You were no longer on this waiting list."))
    return _back(request, "registrations:mine")


@require_POST
@login_required
def claim_offer(request, pk):
    entry = _own_entry(request, pk)
    try:
        # A repeated claim (double click) finds the person registered and says so, like the first.
        services.claim_offer(entry, by=request.user)
    except services.RegistrationRefused as refused:
        if Code.ALREADY_REGISTERED in refused.decision.codes:
            messages.info(request, _("You are already registered on this slot."))
        else:
            _refused(request, refused)
    else:
        messages.success(request, _("The place is yours: you are registered on %(slot)s.") % {"slot": entry.slot})
    return _back(request, "registrations:mine")


@require_POST
@login_required
def course_alert(request, course_pk):
    """Toggle "tell me when a new slot opens" (``action=add|remove`` makes it explicit)."""
    course = get_object_or_404(Course, site=request.site, pk=course_pk, published=True)
    pending = CourseAlert.objects.filter(site=request.site, course=course, person=request.user, notified_at=None)
    action = request.POST.get("action")
    if action not in ("add", "remove"):
        action = "remove" if pending.exists() else "add"
    if action == "add":
        services.add_course_alert(course, request.user)
        messages.success(request, _("We will e-mail you when a new slot of %(course)s opens.") % {"course": course})
    else:
        services.remove_course_alert(course, request.user)
        messages.success(request, _("Alert removed for %(course)s.") % {"course": course})
    return _back(request, "portal:course", course.pk)


# --- Cancelling --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cancel(request, pk):
    registration = get_object_or_404(selectors.registration_queryset(request.site), pk=pk, person=request.user)
    form = CancelForm(request.POST if request.method == "POST" else None, site=request.site)
    problem = rules.cancellation_problem(registration, by=request.user, site=request.site)
    status = 200
    if request.method == "POST":
        if registration.status != Status.ACTIVE:  # a repeated submission: the first one cancelled it
            messages.info(request, _("This registration is already cancelled."))
            return redirect("registrations:mine")
        if problem:
            messages.error(request, problem)
            return redirect("registrations:mine")
        if form.is_valid():
            try:
                services.cancel_registration(
                    registration,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    check=True,
                )
            except services.CancellationRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Your registration is cancelled: %(slot)s.") % {"slot": registration.slot})
            return redirect("registrations:mine")
        status = 400
    selectors.decorate(registration, request.user, request.site)
    context = {"registration": registration, "form": form, "problem": problem}
    return render(request, "registrations/cancel.html", context, status=status)


# --- My immersions ------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    context = {"mine": selectors.my_immersions(request.site, request.user)}
    return render(request, "registrations/mine.html", context)


# --- Calendar ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def calendar(request):
    if request.method == "POST":
        services.revoke_calendar_feed(request.site, request.user)
        messages.success(request, _("Your calendar has a new address; the old one no longer works."))
        return redirect("registrations:calendar")
    feed = services.calendar_feed(request.site, request.user)
    url = request.build_absolute_uri(reverse("registrations:ical_feed", args=[feed.key]))
    return render(request, "registrations/calendar.html", {"feed_url": url})


@require_GET
def ical_feed(request, token):
    feed = services.calendar_feed_by_key(request.site, token)
    if feed is None or not feed.person.is_active:
        raise Http404
    body = ical.calendar_for(request.site, feed.person)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="immersions.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
