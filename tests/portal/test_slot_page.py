"""The slot page: public details, and the personal action panel the engine drives."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.models import Registration, WaitingListEntry, WaitingStatus
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def free_slot(world):
    """A slot the validated pupil may register to (world.host_slot overlaps their registration)."""
    with for_site(world.site):
        return make_slot(world, world.host_course, days=9)


def _page(client, slot, user=None, status=200):
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("portal:slot", args=[slot.pk]))
    assert response.status_code == status
    return response


def _panel(response):
    content = response.content.decode()
    return content[content.index('id="panel-title"') :]


def _form_to(name, *args):
    return f'action="{reverse(f"registrations:{name}", args=args)}"'


def test_public_details(client, world):
    with for_site(world.site):
        Slot.objects.filter(pk=world.slot.pk).update(additional_information="Apportez un stylo.")
        world.slot.allowed_high_schools.add(world.high_school)
        world.slot.speakers.add(world.speaker)

    content = _page(client, world.slot).content.decode()

    assert "<h1" in content and world.course.label in content
    assert world.training.label in content and world.master.label in content
    assert world.course_type.label in content
    assert world.campus.label in content and world.building.label in content and "A101" in content
    assert "9 places left" in content
    assert "Registrations close" in content and "Cancellations close" in content
    assert "reserved for" in content and world.high_school.label in content
    assert "Apportez un stylo." in content
    assert world.speaker.email not in content and world.speaker.last_name not in content
    assert world.pupil.last_name not in content


def test_the_remote_link_is_never_shown(client, world):
    with for_site(world.site):
        remote = make_slot(world, world.course, place=Slot.Place.REMOTE, remote_url="https://visio.example.org/secret")
        Registration.objects.create(site=world.site, slot=remote, person=world.pupil)

    assert "visio.example.org" not in _page(client, remote).content.decode()
    content = _page(client, remote, world.pupil).content.decode()
    assert "visio.example.org" not in content and "Remote" in content


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    panel = _panel(_page(client, world.host_slot))

    sign_in = reverse("federation:sign_in")
    assert f'href="{sign_in}?next=%2Fslots%2F{world.host_slot.pk}%2F"' in panel
    assert "<form" not in panel


@pytest.mark.parametrize("slot", ["draft_slot", "cancelled", "other_site", "unknown"])
def test_hidden_slots_are_a_404(client, world, other_world, slot):
    if slot == "cancelled":
        with for_site(world.site):
            Slot.objects.filter(pk=world.host_slot.pk).update(cancelled_at=timezone.now())
        target = world.host_slot
    elif slot == "other_site":
        target = other_world.slot
    elif slot == "unknown":
        target = Slot(pk=999999)
    else:
        target = world.draft_slot
    _page(client, target, status=404)
    _page(client, target, world.pupil, status=404)


def test_past_slots_still_have_their_page(client, world):
    with for_site(world.site):
        past = make_slot(world, world.course, days=-2)

    panel = _panel(_page(client, past, world.pupil))

    assert "This slot has already started." in panel
    assert _form_to("register", past.pk) not in panel


def test_staff_who_may_see_a_draft_slot_see_its_page(client, world):
    content = _page(client, world.draft_slot, world.structure_referent).content.decode()

    assert "This slot is not public" in content
    _page(client, world.draft_slot, world.pupil, status=404)
    _page(client, world.draft_slot, world.host_referent, status=404)  # another establishment's slot
    with for_site(world.site):
        Slot.objects.filter(pk=world.host_slot.pk).update(cancelled_at=timezone.now())
    _page(client, world.host_slot, world.speaker, status=404)  # staff, but not of this slot
    assert "This slot is not public" in _page(client, world.host_slot, world.host_referent).content.decode()


def test_a_validated_pupil_with_a_free_place_may_register(client, world, free_slot):
    panel = _panel(_page(client, free_slot, world.pupil))

    assert _form_to("register", free_slot.pk) in panel and 'method="post"' in panel
    assert "csrfmiddlewaretoken" in panel
    assert "Join the waiting list" not in panel


def test_a_full_slot_offers_the_waiting_list(client, world, free_slot):
    with for_site(world.site):
        Slot.objects.filter(pk=free_slot.pk).update(individual_places=2, individual_places_taken=2)

    panel = _panel(_page(client, free_slot, world.pupil))

    assert _form_to("join_waiting_list", free_slot.pk) in panel
    assert _form_to("register", free_slot.pk) not in panel
    assert "You cannot register" not in panel


def test_a_full_slot_without_waiting_list_says_why(client, world):
    world.site.waiting_list_enabled = False
    world.site.save()
    with for_site(world.site):
        Slot.objects.filter(pk=world.other_slot.pk).update(individual_places=1)

    panel = _panel(_page(client, world.other_slot, world.pupil))

    assert "This slot is full." in panel
    assert _form_to("join_waiting_list", world.other_slot.pk) not in panel


def test_a_registered_pupil_sees_it_and_may_cancel(client, world):
    panel = _panel(_page(client, world.slot, world.pupil))

    assert "You are registered on this slot." in panel
    assert f'href="{reverse("registrations:cancel", args=[world.registration.pk])}"' in panel
    assert _form_to("register", world.slot.pk) not in panel


def test_a_pupil_not_validated_is_told_why(client, world):
    panel = _panel(_page(client, world.host_slot, world.other_pupil))

    assert "Your record has not been validated yet." in panel
    assert _form_to("register", world.host_slot.pk) not in panel


def test_every_refusal_is_listed(client, world):
    with for_site(world.site):
        world.host_slot.allowed_high_schools.add(world.host_high_school)
        Slot.objects.filter(pk=world.host_slot.pk).update(registration_deadline=timezone.now() - dt.timedelta(hours=1))

    panel = _panel(_page(client, world.host_slot, world.other_pupil))

    assert "Your record has not been validated yet." in panel
    assert "reserved for people from some establishments" in panel
    assert "Registrations for this slot closed on" in panel


def test_a_pupil_in_line_sees_their_position(client, world):
    with for_site(world.site):
        Slot.objects.filter(pk=world.other_slot.pk).update(individual_places=1)
        first = WaitingListEntry.objects.create(site=world.site, slot=world.other_slot, person=world.student)
        entry = WaitingListEntry.objects.create(
            site=world.site, slot=world.other_slot, person=world.pupil, joined_at=first.joined_at + dt.timedelta(1)
        )

    panel = _panel(_page(client, world.other_slot, world.pupil))

    assert "in position 2" in panel
    assert _form_to("leave_waiting_list", entry.pk) in panel
    assert _form_to("join_waiting_list", world.other_slot.pk) not in panel


def test_a_pupil_holding_an_offer_may_claim_it(client, world):
    with for_site(world.site):
        entry = WaitingListEntry.objects.create(
            site=world.site,
            slot=world.other_slot,
            person=world.pupil,
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=5),
        )

    panel = _panel(_page(client, world.other_slot, world.pupil))

    assert _form_to("claim_offer", entry.pk) in panel
    assert _form_to("leave_waiting_list", entry.pk) in panel
    assert _form_to("register", world.other_slot.pk) not in panel


def test_a_high_school_referent_gets_the_pupils_links(client, world):
    panel = _panel(_page(client, world.host_slot, world.high_school_referent))

    assert f'href="{reverse("registrations:register_pupils", args=[world.host_slot.pk])}"' in panel
    assert reverse("registrations:register_group", args=[world.host_slot.pk]) not in panel
    assert _form_to("register", world.host_slot.pk) not in panel

    with for_site(world.site):
        Slot.objects.filter(pk=world.host_slot.pk).update(allows_group_registrations=True, group_places=30)
    panel = _panel(_page(client, world.host_slot))
    assert f'href="{reverse("registrations:register_group", args=[world.host_slot.pk])}"' in panel


def _registrants_link(slot):
    try:
        return f'href="{reverse("backoffice:registrants_slot", args=[slot.pk])}"'
    except NoReverseMatch:  # the back-office page is built by another change
        return None


@pytest.mark.parametrize("who,manages", [("structure_referent", True), ("speaker", True), ("consultant", False)])
def test_who_manages_or_speaks_gets_the_registrants_link(client, world, who, manages):
    response = _page(client, world.slot, getattr(world, who))

    assert response.context["panel"].manages is manages
    link = _registrants_link(world.slot)
    if link:
        assert (link in _panel(response)) is manages
    assert _form_to("register", world.slot.pk) not in _panel(response)


def test_a_pupil_gets_no_staff_links(client, world):
    response = _page(client, world.host_slot, world.pupil)

    assert response.context["panel"].manages is False
    assert "register_pupils" not in _panel(response) and "/pupils/" not in _panel(response)


def test_the_slot_page_tells_the_engines_decision_not_a_stale_one(client, world, free_slot):
    _page(client, free_slot)  # cached for anonymous visitors
    with for_site(world.site):
        Slot.objects.filter(pk=free_slot.pk).update(individual_places=0)  # no signal

    panel = _panel(_page(client, free_slot, world.pupil))

    assert _form_to("register", free_slot.pk) not in panel
    assert _form_to("join_waiting_list", free_slot.pk) in panel
