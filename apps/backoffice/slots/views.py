"""The slot pages. Thin: rights from ``@back_office_view`` and the policy, rules from
``apps.registrations.slot_services``, reads from ``apps.catalogue.selectors`` and
``apps.registrations.selectors`` (a slot's registrants).

A slot is looked up among those the person may view in the back office (404 otherwise),
then the action is checked (403 when they may see it but not do it).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.policy import Action, can, offer_filter
from apps.backoffice.lists import list_page
from apps.backoffice.log.history import history_context
from apps.catalogue import selectors
from apps.catalogue.models import Slot
from apps.registrations import selectors as registrants
from apps.registrations import slot_services as services
from apps.staff.guard import back_office_view

from .filters import SlotFilter
from .forms import BulkForm, CancelForm, DuplicateForm, RepeatForm, SlotForm
from .tables import SlotTable

T = "backoffice/slots/"
RELATED = ("course__training__structure", "event", "period", "campus", "building", "place_high_school")


def _get(request, pk, action=Action.CHANGE):
    actor = request.actor
    queryset = Slot.objects.filter(offer_filter(actor, Slot, Action.VIEW)).select_related(*RELATED)
    slot = get_object_or_404(queryset, pk=pk)
    if action != Action.VIEW and not can(actor, action, slot, request.site):
        raise PermissionDenied
    return slot


def _may_add(actor):
    return actor.is_master or bool(actor.managed_establishments or actor.managed_structures or actor.host_high_schools)


def _warn(request, warnings):
    for warning in warnings:
        messages.warning(request, warning)


def _error_text(error):
    if hasattr(error, "error_dict"):
        return " ".join(m for ms in error.message_dict.values() for m in ms)
    return " ".join(error.messages)


@back_office_view
def slot_list(request):
    actor = request.actor
    base = Slot.objects.filter(offer_filter(actor, Slot, Action.VIEW))
    response, filterset, table = list_page(
        request,
        key="slots",
        queryset=registrants.slot_list_queryset(base),
        filterset_class=SlotFilter,
        table_class=SlotTable,
    )
    if response is not None:
        return response
    ids = [row.record.pk for row in table.page.object_list]
    changeable = set(
        Slot.objects.filter(offer_filter(actor, Slot, Action.CHANGE), pk__in=ids).values_list("pk", flat=True)
    )
    context = {"filterset": filterset, "table": table, "changeable": changeable, "may_add": _may_add(actor)}
    return render(request, f"{T}list.html", context)


@back_office_view
def slot_detail(request, pk):
    slot = _get(request, pk, Action.VIEW)
    registration_closes, cancellation_closes = selectors.effective_deadlines(slot)
    individuals, groups = registrants.registrants_count(slot)
    context = {
        "slot": slot,
        "registration_closes": registration_closes,
        "cancellation_closes": cancellation_closes,
        "individuals": individuals,
        "groups": groups,
        "warnings": selectors.slot_warnings(slot),
        "may_change": can(request.actor, Action.CHANGE, slot, request.site),
        "restrictions": [(Slot._meta.get_field(n).verbose_name, getattr(slot, n).all()) for n in services.M2M_FIELDS],
    }
    return render(request, f"{T}detail.html", context)


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_create(request):
    actor, site = request.actor, request.site
    if not _may_add(actor):
        raise PermissionDenied
    initial = {"period": request.GET.get("period")} if request.GET.get("period", "").isdigit() else {}
    for name in ("course", "event"):
        if request.GET.get(name, "").isdigit():
            initial[name] = request.GET[name]
    form = SlotForm(request.POST or None, instance=Slot(site=site), actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not can(actor, Action.ADD, form.instance, site):
            raise PermissionDenied
        try:
            warnings = services.create_slot(form.instance, m2m=form.m2m(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The slot is created."))
            _warn(request, warnings)
            return redirect("backoffice:slots_detail", form.instance.pk)
    return render(request, f"{T}form.html", {"form": form, "policy_hint": _policy_hint(None)})


def _policy_hint(slot):
    if slot is None or slot.pk is None:
        return _("Leave a deadline empty to use the period's policy.")
    registration, cancellation = selectors.policy_deadlines(slot.period, selectors.slot_start(slot))
    return _("Leave empty to use the period's policy: registrations close on %(r)s, cancellations on %(c)s.") % {
        "r": date_format(registration, "SHORT_DATETIME_FORMAT"),
        "c": date_format(cancellation, "SHORT_DATETIME_FORMAT"),
    }


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_edit(request, pk):
    actor, site = request.actor, request.site
    slot = _get(request, pk)
    hint = _policy_hint(slot)
    form = SlotForm(request.POST or None, instance=slot, actor=actor)
    if request.method == "POST" and form.is_valid():
        if not can(actor, Action.CHANGE, form.instance, site):
            raise PermissionDenied
        try:
            warnings = services.update_slot(
                slot, form.changes(), m2m=form.m2m(), notify=form.cleaned_data.get("notify"), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The slot is saved."))
            _warn(request, warnings)
            return redirect("backoffice:slots_detail", slot.pk)
    context = {"form": form, "slot": slot, "policy_hint": hint, **history_context(request, slot)}
    return render(request, f"{T}form.html", context)


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_duplicate(request, pk):
    slot = _get(request, pk)
    initial = {"date": slot.date, "start_time": slot.start_time, "end_time": slot.end_time}
    form = DuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy, warnings = services.duplicate_slot(slot, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The slot is duplicated."))
            _warn(request, warnings)
            return redirect("backoffice:slots_detail", copy.pk)
    return render(request, f"{T}duplicate.html", {"form": form, "slot": slot})


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_repeat(request, pk):
    slot = _get(request, pk)
    form = RepeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped, warnings = services.repeat_slot(slot, form.cleaned_data["all_dates"], by=request.user)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                ngettext("%(count)s slot created.", "%(count)s slots created.", len(created)) % {"count": len(created)},
            )
            if skipped:
                days = ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in skipped)
                messages.info(request, _("Skipped (a slot already exists at that time): %(days)s") % {"days": days})
            for found in warnings.values():
                _warn(request, found)
            parent = f"course={slot.course_id}" if slot.course_id else f"event={slot.event_id}"
            return redirect(f"{reverse('backoffice:slots_list')}?{parent}")
    return render(request, f"{T}repeat.html", {"form": form, "slot": slot})


def _publish(request, pk, published):
    slot = _get(request, pk)
    try:
        services.bulk_update([slot], {"published": published}, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The slot is published.") if published else _("The slot is unpublished."))
    return redirect("backoffice:slots_list")


@back_office_view
@require_POST
def slot_publish(request, pk):
    return _publish(request, pk, True)


@back_office_view
@require_POST
def slot_unpublish(request, pk):
    return _publish(request, pk, False)


def _selection(request):
    """The selected slots; 403 when any id is not a slot the person may change (nothing is changed)."""
    data = request.POST if request.method == "POST" else request.GET
    raw = data.getlist("ids")
    if not all(value.isdigit() for value in raw):
        raise PermissionDenied
    ids = {int(value) for value in raw}
    actor = request.actor
    slots = list(Slot.objects.filter(offer_filter(actor, Slot, Action.CHANGE), pk__in=ids).select_related(*RELATED))
    if len(slots) != len(ids) or not all(can(actor, Action.CHANGE, s, request.site) for s in slots):
        raise PermissionDenied
    return slots


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_bulk(request):
    slots = _selection(request)
    if not slots:
        messages.error(request, _("Select at least one slot."))
        return redirect("backoffice:slots_list")
    action = request.POST.get("action")
    quick = {"publish": {"published": True}, "unpublish": {"published": False}}
    form = BulkForm(request.POST if request.method == "POST" and action == "apply" else None)
    changes = m2m = None
    if request.method == "POST" and action in quick:
        changes = quick[action]
    elif form.is_bound and form.is_valid():
        changes, m2m = form.changes(), form.m2m()
        if not changes and m2m is None:
            form.add_error(None, _("Nothing to change."))
            changes = None
    if changes is not None:
        try:
            warnings = services.bulk_update(slots, changes, m2m=m2m, by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
            for message in error.messages:
                messages.error(request, message)
            if action in quick:
                return redirect("backoffice:slots_list")
        else:
            count = len(slots)
            messages.success(
                request, ngettext("%(count)s slot changed.", "%(count)s slots changed.", count) % {"count": count}
            )
            for found in warnings.values():
                _warn(request, found)
            return redirect("backoffice:slots_list")
    return render(request, f"{T}bulk.html", {"form": form, "slots": slots})


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_cancel(request, pk):
    slot = _get(request, pk)
    individuals, groups = registrants.registrants_count(slot)
    form = CancelForm(request.POST or None)
    if slot.cancelled_at is None and request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_slot(slot, form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The slot is cancelled; %(count)s registrant is told.",
                    "The slot is cancelled; %(count)s registrants are told.",
                    told,
                )
                % {"count": told},
            )
            return redirect("backoffice:slots_detail", slot.pk)
    context = {"form": form, "slot": slot, "individuals": individuals, "groups": groups}
    return render(request, f"{T}cancel.html", context)


@back_office_view
@require_http_methods(["GET", "POST"])
def slot_delete(request, pk):
    slot = _get(request, pk, Action.DELETE)
    blocked = services.has_registrations(slot)
    if request.method == "POST" and not blocked:
        try:
            services.delete_slot(slot, by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("backoffice:slots_detail", pk)
        messages.success(request, _("The slot is deleted."))
        return redirect("backoffice:slots_list")
    if request.method == "POST":
        messages.error(request, _("People registered to this slot: cancel it instead, so that they are told."))
    return render(request, f"{T}delete.html", {"slot": slot, "blocked": blocked})
