"""The public portal: the offer, events, slot search, organisations and the slot page.

The public part of each page is rendered once per site, offer version, language and day and
kept in the cache (:mod:`.cache`); the personal parts (the slot page's action panel, the
course alert) are computed on every request and never cached.
"""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.policy import Action, can
from apps.catalogue.models import Slot
from apps.catalogue.selectors import effective_deadlines
from apps.registrations.models import CourseAlert
from apps.registrations.rules import group_places_left

from . import offer, search, selectors
from .cache import OFFER_TIMEOUT, PLACES_TIMEOUT, cached
from .panel import action_panel, sign_in_url


def home(request):
    site = request.site
    context = {
        "figures": selectors.home_figures(site),
        "next_slots": selectors.next_slots(site),
    }
    return render(request, "portal/home.html", context)


def _fragment(template, title, **context):
    return {"title": str(title), "body": render_to_string(template, context)}


def _cached_page(request, name, parts, build, timeout):
    """The cached public part of a page, as {"title", "body", ...}; 404 when ``build`` finds nothing."""
    page = cached(request.site.pk, name, parts, build, timeout)
    if page is None:
        raise Http404
    return {**page, "body": mark_safe(page["body"])}  # noqa: S308 — our own template's output


def _render(request, page, template="portal/page.html", **context):
    return render(request, template, {"page": page, **context})


def _panel(request, slot):
    return action_panel(request.site, request.user, slot, next_url=request.get_full_path())


# --- The offer -------------------------------------------------------------------------------


@require_GET
def offer_view(request):
    def build():
        return _fragment("portal/fragments/offer.html", _("The offer"), domains=offer.offer_tree(request.site))

    return _render(request, _cached_page(request, "offer", (), build, PLACES_TIMEOUT))


@require_GET
def subdomain(request, pk):
    def build():
        found = offer.subdomain_page(request.site, pk)
        if found is None:
            return None
        subdomain, trainings = found
        return _fragment("portal/fragments/subdomain.html", subdomain.label, subdomain=subdomain, trainings=trainings)

    return _render(request, _cached_page(request, "subdomain", (pk,), build, PLACES_TIMEOUT))


@require_GET
def training(request, pk):
    def build():
        training = offer.training_page(request.site, pk)
        if training is None:
            return None
        return _fragment("portal/fragments/training.html", training.label, training=training)

    return _render(request, _cached_page(request, "training", (pk,), build, PLACES_TIMEOUT))


@require_GET
def course(request, pk):
    def build():
        course = offer.course_page(request.site, pk)
        if course is None:
            return None
        page = _fragment("portal/fragments/course.html", course.label, course=course)
        page["has_upcoming_slots"] = bool(course.upcoming_slots)
        return page

    page = _cached_page(request, "course", (pk,), build, PLACES_TIMEOUT)
    context = {"course_pk": pk}
    if not page["has_upcoming_slots"]:
        if request.user.is_authenticated:
            context["alert_active"] = CourseAlert.objects.filter(
                site=request.site, course_id=pk, person=request.user, notified_at__isnull=True
            ).exists()
        else:
            context["alert_sign_in_url"] = sign_in_url(request.get_full_path())
    return _render(request, page, "portal/course.html", **context)


@require_GET
def events(request):
    def build():
        return _fragment("portal/fragments/events.html", _("Events"), groups=offer.event_slots_by_type(request.site))

    return _render(request, _cached_page(request, "events", (), build, PLACES_TIMEOUT))


@require_GET
def establishments(request):
    def build():
        return _fragment(
            "portal/fragments/establishments.html",
            _("Host establishments"),
            establishments=offer.host_establishments(request.site),
        )

    return _render(request, _cached_page(request, "establishments", (), build, OFFER_TIMEOUT))


@require_GET
def high_schools(request):
    def build():
        return _fragment(
            "portal/fragments/high_schools.html",
            _("Partner high schools"),
            high_schools=offer.partner_high_schools(request.site),
        )

    return _render(request, _cached_page(request, "high-schools", (), build, OFFER_TIMEOUT))


# --- Search ------------------------------------------------------------------------------------


@require_GET
def slot_search(request):
    site = request.site
    form = search.SlotSearchForm(request.GET, site=site)
    results = None
    if form.is_valid():
        query = form.filters_query()
        page_number = request.GET.get("page", "1")
        page_number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < 10_000 else 1

        def build():
            page = search.search(site, form.cleaned_data, page_number)
            body = render_to_string("portal/fragments/search_results.html", {"page": page, "query": query})
            return {"body": body, "count": page.paginator.count}

        if request.user.is_authenticated:  # anonymous visitors share the cache; nothing personal either way
            results = build()
        else:
            results = cached(site.pk, "search", (query, page_number), build, PLACES_TIMEOUT)
        results = {**results, "body": mark_safe(results["body"])}  # noqa: S308 — our own template's output
    return render(request, "portal/search.html", {"form": form, "results": results})


# --- The slot page -----------------------------------------------------------------------------


def _slot_fragment(slot):
    registration_closes_at, cancellation_closes_at = effective_deadlines(slot)
    return _fragment(
        "portal/fragments/slot.html",
        slot.offer_label,
        slot=slot,
        owner=offer.owner_label(slot),
        restrictions=offer.restrictions_in_words(slot),
        registration_closes_at=registration_closes_at,
        cancellation_closes_at=cancellation_closes_at,
        group_places_left=group_places_left(slot),
    )


@require_GET
def slot(request, pk):
    site = request.site

    def build():
        found = offer.slot_with_details(offer.public_slot_filter(site), pk)
        return None if found is None else _slot_fragment(found)

    if not request.user.is_authenticated:
        page = _cached_page(request, "slot", (pk,), build, PLACES_TIMEOUT)
        return _render(request, page, "portal/slot.html", panel=_panel(request, None))
    instance = offer.slot_with_details(offer.public_slot_filter(site), pk)
    is_public = instance is not None
    if instance is None:
        # Who manages the slot or speaks in it sees its page too (it is not public).
        instance = offer.slot_with_details(Slot.objects.filter(site=site), pk)
        if instance is None or not (
            can(request.user, Action.CHANGE, instance, site)
            or can(request.user, Action.RECORD_ATTENDANCE, instance, site)
        ):
            raise Http404
        page = _slot_fragment(instance)
        page["body"] = mark_safe(page["body"])  # noqa: S308 — our own template's output
    else:
        page = _cached_page(request, "slot", (pk,), build, PLACES_TIMEOUT)
    return _render(
        request, page, "portal/slot.html", slot=instance, is_public=is_public, panel=_panel(request, instance)
    )
