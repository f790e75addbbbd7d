"""The personal action panel of a slot page, computed for each page shown, never cached.

It shows exactly what the registration engine allows (:func:`apps.registrations.rules.evaluate`,
and :func:`~apps.registrations.rules.evaluate_group` for a referent's groups), so the page never
offers what the engine would refuse; the engine decides again on POST.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from apps.accounts.policy import REGISTRANT_ROLES, Action, actor_for, can
from apps.organisations.models import HighSchool
from apps.registrations import rules, services
from apps.registrations.models import Registration, Status, WaitingStatus


@dataclass
class Panel:
    anonymous: bool = False
    sign_in_url: str = ""
    is_registrant: bool = False
    registration: Registration | None = None
    may_cancel: bool = False
    cancellation_problem: str | None = None
    offer: object = None  # a WaitingListEntry holding a place for the person
    waiting: object = None  # a WaitingListEntry in line
    waiting_position: int | None = None
    may_register: bool = False
    may_join_waiting_list: bool = False
    refusals: list = field(default_factory=list)
    registration_closes_at: object = None
    is_referent: bool = False
    may_register_group: bool = False
    manages: bool = False


def sign_in_url(next_url):
    try:
        return f"{reverse('federation:sign_in')}?{urlencode({'next': next_url})}"
    except NoReverseMatch:  # no sign-in page: no link
        return ""


def action_panel(site, user, slot, *, next_url) -> Panel:
    """What ``user`` may do on ``slot`` of ``site``; ``next_url``: where signing in comes back to."""
    if not user.is_authenticated:
        return Panel(anonymous=True, sign_in_url=sign_in_url(next_url))
    actor = actor_for(user, site)
    panel = Panel(is_registrant=bool(actor.roles & REGISTRANT_ROLES))
    if panel.is_registrant:
        _personal(panel, slot, user, site)
    if actor.referent_high_schools:
        panel.is_referent = True
        panel.may_register_group = _may_register_a_group(slot, user, site, actor)
    panel.manages = can(user, Action.CHANGE, slot, site) or can(user, Action.RECORD_ATTENDANCE, slot, site)
    return panel


def _may_register_a_group(slot, user, site, actor) -> bool:
    """The rule book lets a group of one of the referent's high schools come on the slot now."""
    if not rules.takes_groups(slot, site):  # the common case, without a query
        return False
    high_schools = HighSchool.objects.filter(site=site, pk__in=actor.referent_high_schools).order_by("pk")
    return any(rules.evaluate_group(slot, high_school, by=user, site=site).allowed for high_school in high_schools)


def _personal(panel, slot, user, site):
    panel.registration = (
        Registration.objects.filter(site=site, slot=slot, person=user, status=Status.ACTIVE).order_by("pk").first()
    )
    if panel.registration is not None:
        panel.registration.slot = slot
        panel.cancellation_problem = rules.cancellation_problem(panel.registration, by=user, site=site)
        panel.may_cancel = panel.cancellation_problem is None
        return
    decision = rules.evaluate(slot, user, by=user, site=site)
    panel.registration_closes_at = decision.registration_closes_at
    entry = decision.waiting_entry
    if entry is not None and entry.status == WaitingStatus.OFFERED and entry.offer_expires_at > timezone.now():
        panel.offer = entry
    elif entry is not None and entry.status == WaitingStatus.WAITING:
        panel.waiting = entry
        panel.waiting_position = services.waiting_position(entry)
    elif decision.allowed:
        panel.may_register = True
    else:
        panel.may_join_waiting_list = decision.may_join_waiting_list
        panel.refusals = [refusal.message for refusal in decision.refusals]
