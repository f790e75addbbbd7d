"""One rule book for groups and one consent answer for a referent's pupils.

Each group refusal code comes from the rule book (:func:`apps.registrations.rules.evaluate_group`)
and the same refusal, with the same message, from the group service; the referent's page and the
slot page offer a group registration only when the rule book allows it. The policy's answer to
"may this high-school referent see / register / cancel this pupil's immersions" (consent included)
is the one the services, the lists and the pages use.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from apps.academic_calendar.models import Period
from apps.accounts.policy import (
    Action,
    actor_for,
    can,
    followed_registrations_filter,
    may_follow_registration,
    may_register_pupil,
)
from apps.catalogue.models import Slot
from apps.organisations.models import HighSchool
from apps.records.models import PupilRecord
from apps.registrations import rules
from apps.registrations.groups import cancel_group_registration, register_group
from apps.registrations.models import GroupRegistration, Registration, Status
from apps.registrations.rules import FORCIBLE_BY, Code, evaluate_group
from apps.registrations.services import CancellationRefused, RegistrationRefused, cancel_registration
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.factories import make_pupil, make_slot

pytestmark = pytest.mark.django_db

CONTACT = {"contact_name": "Mme Martin", "contact_email": "martin@lycee.example", "accompanying_adults": 2}
ONE_GROUP, BY_PLACES = Slot.GroupMode.ONE_GROUP, Slot.GroupMode.BY_PLACES


def _period(w, opens_in_days, closes_in_days):
    now, today = timezone.now(), timezone.localdate()
    return Period.objects.create(
        site=w.site,
        year=w.year,
        label=f"Period {opens_in_days}",
        registration_start=now + dt.timedelta(days=opens_in_days),
        registration_end=now + dt.timedelta(days=closes_in_days),
        immersion_start=today,
        immersion_end=today + dt.timedelta(days=90),
    )


@dataclass
class Case:
    code: str
    slot: dict = field(default_factory=dict)  # the slot's fields (callables take the world)
    by: str = "high_school_referent"
    high_school: str = "high_school"  # or "inactive"
    pupils: int | None = 10
    site_off: bool = False  # the site takes no group registrations

    def make_slot(self, w):
        fields = {"mode": BY_PLACES, "places": 30, "days": 12}
        fields.update({k: v(w) if callable(v) else v for k, v in self.slot.items()})
        allowed = fields.pop("allowed_high_schools", None)
        slot = make_slot(
            w,
            w.course,
            days=fields.pop("days"),
            allows_group_registrations=fields.pop("groups", True),
            group_mode=fields.pop("mode"),
            group_places=fields.pop("places"),
            **fields,
        )
        if allowed:
            slot.allowed_high_schools.set(allowed)
        return Slot.objects.get(pk=slot.pk)


PAST = lambda w: timezone.now() - dt.timedelta(hours=1)  # noqa: E731

CASES = [
    Case(Code.NOT_ALLOWED, by="host_high_school_referent"),  # referent of another high school
    Case(Code.NOT_ALLOWED, by="pupil"),
    Case(Code.HIGH_SCHOOL_INACTIVE, by="structure_referent", high_school="inactive"),
    Case(Code.NO_GROUP_REGISTRATION, slot={"groups": False}),
    Case(Code.NO_GROUP_REGISTRATION, site_off=True),
    Case(Code.SLOT_CANCELLED, slot={"cancelled_at": lambda w: timezone.now()}),
    Case(Code.NOT_PUBLISHED, slot={"published": False}),
    Case(Code.SLOT_STARTED, slot={"days": -1}),
    Case(Code.WINDOW_NOT_OPEN, slot={"period": lambda w: _period(w, 5, 30)}),
    Case(Code.WINDOW_CLOSED, slot={"period": lambda w: _period(w, -30, -5)}),
    Case(Code.DEADLINE_PASSED, slot={"registration_deadline": PAST}),
    Case(Code.RESTRICTED, slot={"allowed_high_schools": lambda w: [w.host_high_school]}),
    Case(Code.GROUP_EMPTY, pupils=0),
    Case(Code.GROUP_TOO_LARGE, slot={"places": 10}, pupils=11),
    Case(Code.GROUP_TOO_LARGE, slot={"mode": ONE_GROUP, "places": 10}, pupils=11),
    Case(Code.FULL, slot={"places": 30, "group_places_taken": 30}),
    Case(Code.FULL, slot={"mode": ONE_GROUP, "places": 25, "group_places_taken": 25}, pupils=5),
]


OPEN = Case("open")  # an open slot: nothing refuses
GROUP_CODES = {
    Code.NOT_ALLOWED,
    Code.HIGH_SCHOOL_INACTIVE,
    Code.NO_GROUP_REGISTRATION,
    Code.SLOT_CANCELLED,
    Code.NOT_PUBLISHED,
    Code.SLOT_STARTED,
    Code.WINDOW_NOT_OPEN,
    Code.WINDOW_CLOSED,
    Code.DEADLINE_PASSED,
    Code.RESTRICTED,
    Code.GROUP_EMPTY,
    Code.GROUP_TOO_LARGE,
    Code.FULL,
}


def _arrange(w, case):
    """(slot, high school, by, site) for a case (inside the site's scope)."""
    site = Site.objects.get(pk=w.site.pk)
    if site.group_registrations_enabled == case.site_off:  # saved: the pages' site cache forgets it
        site.group_registrations_enabled = not case.site_off
        site.save(update_fields=["group_registrations_enabled"])
    high_school = w.high_school
    if case.high_school == "inactive":
        high_school = HighSchool.objects.create(site=site, uai="0670099Z", label="Lycée fermé", is_active=False)
    return case.make_slot(w), high_school, getattr(w, case.by), site


def test_each_group_refusal_comes_from_the_rule_book_and_the_same_from_the_service(world):
    w = world
    seen = set()
    with for_site(w.site), override("en"):
        for case in CASES:
            slot, high_school, by, site = _arrange(w, case)
            decision = evaluate_group(slot, high_school, by=by, site=site, pupils_count=case.pupils)
            assert case.code in decision.codes, (case, decision.codes)
            with pytest.raises(RegistrationRefused) as refused:
                register_group(slot, high_school, by=by, pupils_count=case.pupils, **CONTACT)
            assert refused.value.decision.refusals == decision.refusals, case
            assert refused.value.message == decision.message
            assert not GroupRegistration.objects.filter(slot=slot).exists()
            assert Slot.objects.get(pk=slot.pk).group_places_taken == slot.group_places_taken
            # Forcible rules: by the slot's managers only, and then the group is registered.
            if case.code in FORCIBLE_BY and case.by == "high_school_referent":
                forced = evaluate_group(slot, high_school, by=by, site=site, pupils_count=10, force=(case.code,))
                assert case.code in forced.codes and not forced.forced and not forced.could_force
                manager = evaluate_group(slot, high_school, by=w.structure_referent, site=site, pupils_count=10)
                assert case.code in manager.forcible_codes and manager.could_force
                force = manager.forcible_codes
                group = register_group(
                    slot, high_school, by=w.structure_referent, pupils_count=10, force=force, **CONTACT
                )
                assert group.status == Status.ACTIVE and Slot.objects.get(pk=slot.pk).group_places_taken == 10
            elif case.code not in (Code.NOT_ALLOWED,):
                manager = evaluate_group(
                    slot, high_school, by=w.master_referent, site=site, pupils_count=case.pupils, force=(case.code,)
                )
                assert case.code in manager.codes and not manager.forced, case  # nobody forces it
            seen.add(case.code)
        # The same slot, open: allowed, and registered.
        slot, high_school, by, site = _arrange(w, OPEN)
        assert evaluate_group(slot, high_school, by=by, site=site, pupils_count=10).allowed
        assert register_group(slot, high_school, by=by, pupils_count=10, **CONTACT).pupils_count == 10
    assert seen == GROUP_CODES  # every refusal a group may meet has its case


def test_cancelling_a_group_follows_the_rule_book(world):
    w = world
    with for_site(w.site), override("en"):
        slot = OPEN.make_slot(w)
        group = register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=10, **CONTACT)
        for who in ("host_high_school_referent", "pupil", "speaker"):
            problem = rules.group_cancellation_problem(group, by=getattr(w, who), site=w.site)
            assert problem == "You may not cancel this group registration."
            with pytest.raises(CancellationRefused) as refused:
                cancel_group_registration(group, by=getattr(w, who))
            assert str(refused.value) == problem
        Slot.objects.filter(pk=slot.pk).update(cancellation_deadline=timezone.now() - dt.timedelta(minutes=1))
        group.slot.refresh_from_db()
        problem = rules.group_cancellation_problem(group, by=w.high_school_referent, site=w.site)
        assert problem.startswith("Cancellations for this slot closed on")
        with pytest.raises(CancellationRefused):
            cancel_group_registration(group, by=w.high_school_referent)
        assert rules.group_cancellation_problem(group, by=w.structure_referent, site=w.site) is None
        assert cancel_group_registration(group, by=w.structure_referent)


# --- The pages offer what the rule book allows ------------------------------------------------------

#: The cases a referent meets on a slot's pages (refused before any size is typed).
PAGE_CASES = [c for c in CASES if c.by == "high_school_referent" and c.pupils == 10 and c.code != Code.NOT_PUBLISHED]


def test_the_referent_page_and_the_slot_page_offer_a_group_only_when_the_rule_book_allows_it(client, world):
    w = world
    client.cookies["django_language"] = "en"
    client.force_login(w.high_school_referent)
    for case in [OPEN, *PAGE_CASES]:
        with for_site(w.site):
            slot, high_school, by, site = _arrange(w, case)
            decision = evaluate_group(slot, high_school, by=by, site=site)
        url = reverse("registrations:register_group", args=[slot.pk])
        page = client.get(url).content.decode()
        slot_page = client.get(reverse("portal:slot", args=[slot.pk])).content.decode()
        if decision.allowed:
            assert 'name="pupils_count"' in page and f'href="{url}"' in slot_page, case
        else:
            assert 'name="pupils_count"' not in page and f'href="{url}"' not in slot_page, case
            assert decision.message.replace("'", "&#x27;") in page, case
            response = client.post(url, {"pupils_count": 5, **CONTACT})  # the engine says no again
            assert response.status_code == 200
            with for_site(w.site):
                assert not GroupRegistration.objects.filter(slot=slot).exists()
    assert len(PAGE_CASES) >= 8


# --- A referent and their pupils' immersions: one answer (consent included) -------------------------


def test_the_consent_policy_answers_see_register_and_cancel_everywhere(client, world):
    w = world
    with for_site(w.site):
        sharing = make_pupil(w, consent_high_school_sees_immersions=True)
        private = make_pupil(w)
        private_mine = make_pupil(w)
        stranger = make_pupil(w, high_school=w.host_high_school, consent_high_school_sees_immersions=True)
        slot = make_slot(w, w.course, days=12, individual_places=10)
        regs = {
            "sharing": Registration.objects.create(site=w.site, slot=slot, person=sharing, registered_by=sharing),
            "private": Registration.objects.create(site=w.site, slot=slot, person=private, registered_by=private),
            "private_mine": Registration.objects.create(
                site=w.site, slot=slot, person=private_mine, registered_by=w.high_school_referent
            ),
            "stranger": Registration.objects.create(site=w.site, slot=slot, person=stranger, registered_by=stranger),
        }
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=4)
        follows = {"sharing": True, "private": False, "private_mine": True, "stranger": False}
        referent = w.high_school_referent
        actor = actor_for(referent, w.site)
        listed = set(Registration.objects.filter(followed_registrations_filter(actor)).values_list("pk", flat=True))
        for name, registration in regs.items():
            record = PupilRecord.objects.get(user_id=registration.person_id)
            expected = follows[name]
            # register: any pupil of their high school, consent or not
            assert may_register_pupil(referent, record, w.site) is (name != "stranger")
            assert (rules.authority_of(referent, record.user, slot, w.site, record) == rules.Authority.HIGH_SCHOOL) is (
                name != "stranger"
            )
            # see and cancel: consent, or made by the referent
            assert may_follow_registration(referent, registration, w.site) is expected, name
            assert can(referent, Action.VIEW, registration, w.site) is expected, name
            assert can(referent, Action.CANCEL, registration, w.site) is expected, name
            assert (registration.pk in listed) is expected, name
            assert (rules.cancellation_problem(registration, by=referent, site=w.site) is None) is expected, name
    # The pages: the list shows what the referent follows; the cancel page and the service agree.
    client.force_login(referent)
    page = client.get(reverse("registrations:pupils_immersions")).content.decode()
    for name, registration in regs.items():
        cancel_url = reverse("registrations:cancel_pupil_registration", args=[registration.pk])
        assert (cancel_url in page) is follows[name], name
        assert client.get(cancel_url).status_code == (200 if follows[name] else 404), name
    with for_site(w.site):
        for name in ("private", "stranger"):
            with pytest.raises(CancellationRefused):
                cancel_registration(regs[name], by=referent, check=True)
        for name in ("sharing", "private_mine"):
            assert cancel_registration(regs[name], by=referent, check=True)
        assert Registration.objects.filter(slot=slot, status=Status.ACTIVE).count() == 2
