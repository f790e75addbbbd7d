"""A pupil who did not share their immersions with their high school: the referent learns nothing of them.

Registering pupils on a slot, the referent sees the engine's answer for each one; for a pupil
who refused to share their immersions, no answer (page or POST) may say "already registered",
name an overlapping slot or a quota used: one neutral "cannot be registered by you" stands for
them. One policy answer (``may_see_immersions_of``) decides, here and on every other page.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.policy import actor_for, immersions_visible_filter, may_see_immersions_of
from apps.catalogue.models import Course, Slot
from apps.records.models import PupilRecord, RecordStatus
from apps.registrations.models import Registration, Status, WaitingListEntry, WaitingStatus
from apps.registrations.rules import Code, evaluate
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_slot, make_user

pytestmark = pytest.mark.django_db

NEUTRAL = "Cannot be registered by you."
SECRET = "Astrophysique confidentielle"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def make_pupil(w, *, consent, name, high_school=None):
    with for_site(w.site):
        user = make_user()
        user.last_name = name
        user.save(update_fields=["last_name"])
        grant(user, w.site, Role.PUPIL)
        PupilRecord.objects.create(
            site=w.site,
            user=user,
            high_school=high_school or w.high_school,
            status=RecordStatus.VALIDATED,
            validated_at=timezone.now(),
            consent_high_school_sees_immersions=consent,
        )
    return user


def record_of(w, user):
    with for_site(w.site):
        return PupilRecord.objects.get(site=w.site, user=user)


def register(w, slot, person, **fields):
    with for_site(w.site):
        registration = Registration.objects.create(site=w.site, slot=slot, person=person, **fields)
        Slot.objects.filter(pk=slot.pk).update(
            individual_places_taken=Registration.objects.filter(slot=slot, status=Status.ACTIVE).count()
        )
    return registration


@pytest.fixture
def slots(world):
    """A slot to register on, and a secret one at the same time (10:30–11:30 inside 10:00–12:00), in 9 days."""
    w = world
    with for_site(w.site):
        secret_course = Course.objects.create(site=w.site, training=w.other_training, label=SECRET, published=True)
        target = make_slot(w, w.other_course, days=9)
        secret = make_slot(w, secret_course, days=9, start_time=dt.time(10, 30), end_time=dt.time(11, 30))
    return target, secret


def _page(en, w, slot, referent=None):
    en.force_login(referent or w.high_school_referent)
    return en.get(reverse("registrations:register_pupils", args=[slot.pk])).content.decode()


def _post(en, w, slot, *people, referent=None):
    en.force_login(referent or w.high_school_referent)
    url = reverse("registrations:register_pupils", args=[slot.pk])
    return en.post(url, {"pupils": [record_of(w, p).pk for p in people]}, follow=True).content.decode()


def _says_nothing_of_their_immersions(page):
    assert SECRET not in page
    assert "overlaps" not in page and "lready registered" not in page and "used your" not in page


# --- The register page ------------------------------------------------------------------------------


def test_already_registered_without_consent_reads_neutral(en, world, slots):
    w = world
    target, _secret = slots
    shy = make_pupil(w, consent=False, name="Shy")
    register(w, target, shy)
    page = _page(en, w, target)
    assert "Shy" in page and NEUTRAL in page
    _says_nothing_of_their_immersions(page)
    assert f'name="pupils" value="{record_of(w, shy).pk}"' not in page


def test_an_overlap_without_consent_reads_neutral(en, world, slots):
    w = world
    target, secret = slots
    shy = make_pupil(w, consent=False, name="Shy")
    register(w, secret, shy)
    page = _page(en, w, target)
    assert NEUTRAL in page
    _says_nothing_of_their_immersions(page)
    assert "10:30" not in page and "11:30" not in page  # nor the secret slot's times


def test_a_consenting_pupil_still_shows_the_real_reasons(en, world, slots):
    w = world
    target, secret = slots
    registered, overlapping = make_pupil(w, consent=True, name="Open"), make_pupil(w, consent=True, name="Busy")
    register(w, target, registered)
    register(w, secret, overlapping)
    page = _page(en, w, target)
    assert "Already registered" in page
    assert "This slot overlaps another registration:" in page and SECRET in page
    assert NEUTRAL not in page


def test_reasons_that_are_the_same_for_everyone_stay(en, world, slots):
    """A full slot reads "full" for every pupil alike: the neutral answer does not stand out."""
    w = world
    target, secret = slots
    shy = make_pupil(w, consent=False, name="Shy")
    make_pupil(w, consent=False, name="Other")
    register(w, secret, shy)
    with for_site(w.site):
        Slot.objects.filter(pk=target.pk).update(individual_places=0)
    page = _page(en, w, target)
    assert page.count("This slot is full.") == 3  # Shy, Other and world.pupil
    assert NEUTRAL not in page and "Other" in page
    _says_nothing_of_their_immersions(page)


def test_the_referent_knows_of_the_registrations_they_made(en, world, slots):
    w = world
    target, _secret = slots
    shy = make_pupil(w, consent=False, name="Shy")
    register(w, target, shy, registered_by=w.high_school_referent)
    page = _page(en, w, target)
    assert "Already registered" in page and NEUTRAL not in page


def test_a_host_high_school_referent_on_their_own_slot_sees_nothing_either(en, world):
    """Referent of the pupil's high school and manager of the slot: the page still hides the pupil's immersions."""
    w = world
    with for_site(w.site):
        target = make_slot(w, w.bts_course, days=9, place=Slot.Place.OUTSIDE, outside_address="Lycée")
        secret_course = Course.objects.create(site=w.site, training=w.other_training, label=SECRET, published=True)
        secret = make_slot(w, secret_course, days=9, start_time=dt.time(11))
    shy = make_pupil(w, consent=False, name="Shy", high_school=w.host_high_school)
    register(w, secret, shy)
    page = _page(en, w, target, referent=w.host_high_school_referent)
    assert NEUTRAL in page
    _says_nothing_of_their_immersions(page)
    response = _post(en, w, target, shy, referent=w.host_high_school_referent)
    assert f"Shy: {NEUTRAL}" in response
    _says_nothing_of_their_immersions(response)


# --- Posting anyway ----------------------------------------------------------------------------------


def test_posting_for_a_non_consenting_pupil_answers_neutrally(en, world, slots):
    w = world
    target, secret = slots
    registered, overlapping = make_pupil(w, consent=False, name="Here"), make_pupil(w, consent=False, name="There")
    register(w, target, registered)
    register(w, secret, overlapping)
    page = _post(en, w, target, registered, overlapping)
    assert f"Here: {NEUTRAL}" in page and f"There: {NEUTRAL}" in page
    _says_nothing_of_their_immersions(page)
    with for_site(w.site):
        assert Registration.objects.filter(slot=target).count() == 1


def test_posting_for_a_consenting_pupil_gives_the_real_answer(en, world, slots):
    w = world
    target, secret = slots
    registered, overlapping = make_pupil(w, consent=True, name="Here"), make_pupil(w, consent=True, name="There")
    register(w, target, registered)
    register(w, secret, overlapping)
    page = _post(en, w, target, registered, overlapping)
    assert "Here: already registered on this slot." in page
    assert "There: This slot overlaps another registration:" in page and SECRET in page


def test_a_repeated_submission_for_a_non_consenting_pupil_says_already_registered(en, world, slots):
    """The referent registered them a moment ago: that registration is theirs to know."""
    w = world
    target, _secret = slots
    shy = make_pupil(w, consent=False, name="Shy")
    first = _post(en, w, target, shy)
    assert "Registered on" in first and "Shy" in first
    again = _post(en, w, target, shy)
    assert "Shy: already registered on this slot." in again and NEUTRAL not in again
    with for_site(w.site):
        assert Registration.objects.filter(slot=target, person=shy).count() == 1


# --- The policy answer ----------------------------------------------------------------------------


def test_the_engine_hides_the_reasons_from_the_referent_only(in_site):
    w = in_site
    shy = make_pupil(w, consent=False, name="Shy")
    register(w, w.other_slot, shy)
    slot = Slot.objects.get(pk=w.other_slot.pk)
    assert evaluate(slot, shy, by=w.high_school_referent, site=w.site).codes == [Code.UNDISCLOSED]
    assert evaluate(slot, shy, by=shy, site=w.site).codes == [Code.ALREADY_REGISTERED]
    assert evaluate(slot, shy, by=w.master_referent, site=w.site).codes == [Code.ALREADY_REGISTERED]
    PupilRecord.objects.filter(user=shy).update(consent_high_school_sees_immersions=True)
    assert evaluate(slot, shy, by=w.high_school_referent, site=w.site).codes == [Code.ALREADY_REGISTERED]


@pytest.mark.parametrize(
    ("who", "consent", "expected"),
    [
        ("high_school_referent", True, True),
        ("high_school_referent", False, False),
        ("pupil", False, True),  # their own record
        ("master_referent", False, True),
        ("host_high_school_referent", True, False),  # another high school
        ("establishment_referent", True, False),
        ("structure_referent", True, False),
        ("speaker", True, False),
        ("other_pupil", True, False),
    ],
)
def test_who_may_see_a_pupils_immersions(in_site, who, consent, expected):
    w = in_site
    PupilRecord.objects.filter(pk=w.pupil_record.pk).update(consent_high_school_sees_immersions=consent)
    record = PupilRecord.objects.get(pk=w.pupil_record.pk)
    user = getattr(w, who)
    assert may_see_immersions_of(user, record, w.site) is expected
    # The list face gives the same answer.
    listed = PupilRecord.objects.filter(pk=record.pk).filter(immersions_visible_filter(actor_for(user, w.site)))
    assert listed.exists() is expected


def test_another_sites_referent_sees_nothing(in_site, other_world):
    w = in_site
    PupilRecord.objects.filter(pk=w.pupil_record.pk).update(consent_high_school_sees_immersions=True)
    record = PupilRecord.objects.get(pk=w.pupil_record.pk)
    assert not may_see_immersions_of(other_world.high_school_referent, record, other_world.site)
    assert not may_see_immersions_of(None, record, w.site)


def test_a_place_held_for_a_non_consenting_pupil_does_not_show(en, world, slots):
    """A full slot, a place held for one pupil (a waiting-list offer): the referent sees "full" for them
    too, unless the pupil shared their immersions."""
    w = world
    target, _secret = slots
    shy, open_ = make_pupil(w, consent=False, name="Shy"), make_pupil(w, consent=True, name="Open")
    with for_site(w.site):
        Slot.objects.filter(pk=target.pk).update(individual_places=2)
        for pupil in (shy, open_):
            WaitingListEntry.objects.create(
                site=w.site,
                slot=target,
                person=pupil,
                status=WaitingStatus.OFFERED,
                offered_at=timezone.now(),
                offer_expires_at=timezone.now() + dt.timedelta(hours=5),
            )
    page = _page(en, w, target)
    assert f'name="pupils" value="{record_of(w, open_).pk}"' in page  # may take the place held for them
    assert f'name="pupils" value="{record_of(w, shy).pk}"' not in page
    assert page.count("This slot is full.") == 2  # Shy, and world.pupil
