"""A high-school referent and their pupils' registrations: seeing them (with consent), cancelling, registering."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.catalogue.models import Slot
from apps.records.models import PupilRecord, RecordStatus
from apps.referentials.models import CancellationReason
from apps.registrations.models import Attendance, Registration, Status
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_slot, make_user

pytestmark = pytest.mark.django_db

PUPILS = reverse("registrations:pupils_immersions")
BETA = "beta.localhost"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def make_pupil(w, *, consent=True, class_name="2nde A", high_school=None, status=RecordStatus.VALIDATED, name=None):
    with for_site(w.site):
        user = make_user()
        if name:
            user.last_name = name
            user.save(update_fields=["last_name"])
        grant(user, w.site, Role.PUPIL)
        PupilRecord.objects.create(
            site=w.site,
            user=user,
            high_school=high_school or w.high_school,
            status=status,
            validated_at=timezone.now() if status == RecordStatus.VALIDATED else None,
            submitted_at=timezone.now(),
            birth_date=dt.date(2009, 5, 1),
            class_name=class_name,
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


def past_slot(w, days=3):
    with for_site(w.site):
        return make_slot(w, w.course, days=-days)


# --- Who may see the pages -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world):
    urls = [
        PUPILS,
        reverse("registrations:register_pupils", args=[world.slot.pk]),
        reverse("registrations:cancel_pupil_registration", args=[world.registration.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response.url


@pytest.mark.parametrize("who", ["pupil", "structure_referent", "master_referent", "speaker", "establishment_referent"])
def test_people_who_are_not_high_school_referents_get_404(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(PUPILS).status_code == 404
    assert client.get(reverse("registrations:register_pupils", args=[world.slot.pk])).status_code == 404
    url = reverse("registrations:cancel_pupil_registration", args=[world.registration.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_a_referent_of_another_site_high_school_gets_404_here(client, world, other_world):
    client.force_login(other_world.high_school_referent)
    assert client.get(PUPILS).status_code == 404
    response = client.get(PUPILS, HTTP_HOST=BETA)
    assert response.status_code == 200


# --- My pupils' immersions --------------------------------------------------------------------------


def test_only_consenting_pupils_and_own_registrations_are_shown(en, world):
    w = world
    consenting = make_pupil(w, consent=True, name="Consenting")
    shy = make_pupil(w, consent=False, name="Shy")
    register(w, w.other_slot, consenting)
    register(w, w.host_slot, shy)  # hidden: no consent
    mine = register(w, w.event_slot, shy, registered_by=w.high_school_referent)  # shown: the referent made it
    en.force_login(w.high_school_referent)
    page = en.get(PUPILS).content.decode()
    assert "Consenting" in page and w.other_course.label in page
    assert w.host_course.label not in page  # shy's own registration
    assert w.course.label not in page  # world.pupil did not consent either
    assert w.event.label in page and "Registered by you" in page
    assert reverse("registrations:cancel_pupil_registration", args=[mine.pk]) in page
    # world.pupil, world.other_pupil and shy did not consent
    assert "3 pupils did not share their immersions with the high school." in page
    assert reverse("registrations:groups") in page
    # No cancellation reason is set up on the site: none is asked, and the referent cancels what they made
    response = en.post(reverse("registrations:cancel_pupil_registration", args=[mine.pk]))
    assert response.status_code == 302
    with for_site(w.site):
        mine.refresh_from_db()
    assert mine.status == Status.CANCELLED and mine.cancellation_reason is None


def test_the_referent_of_another_high_school_sees_none_of_them(en, world):
    w = world
    consenting = make_pupil(w, consent=True, name="Consenting")
    registration = register(w, w.other_slot, consenting)
    en.force_login(w.host_high_school_referent)
    page = en.get(PUPILS + "?when=all").content.decode()
    assert "Consenting" not in page and "No immersion to show." in page
    url = reverse("registrations:cancel_pupil_registration", args=[registration.pk])
    assert en.get(url).status_code == 404


def test_filters_upcoming_past_cancelled_and_name(en, world):
    w = world
    alice = make_pupil(w, name="Zanetti")
    bob = make_pupil(w, name="Okonkwo")
    old = past_slot(w)
    register(w, old, alice, attendance=Attendance.PRESENT)
    register(w, w.other_slot, bob)
    register(w, w.host_slot, alice, status=Status.CANCELLED, cancelled_at=timezone.now())
    en.force_login(w.high_school_referent)

    upcoming = en.get(PUPILS).content.decode()
    assert "Okonkwo" in upcoming and "Zanetti" not in upcoming
    past = en.get(PUPILS + "?when=past").content.decode()
    assert "Zanetti" in past and "Present" in past and "Okonkwo" not in past
    with for_site(w.site):
        attended = Registration.objects.get(person=alice, slot=old)
    assert reverse("registrations:certificate", args=[attended.pk]) in past
    # A pupil who did not consent: the registration the referent made is shown, not the certificate link
    shy = make_pupil(w, consent=False, name="Shy")
    theirs = register(w, past_slot(w, days=4), shy, attendance=Attendance.PRESENT, registered_by=w.high_school_referent)
    past = en.get(PUPILS + "?when=past").content.decode()
    assert "Shy" in past and reverse("registrations:certificate", args=[theirs.pk]) not in past
    assert "Cancel</a>" not in past.replace("\n", "")
    cancelled = en.get(PUPILS + "?when=cancelled").content.decode()
    assert w.host_course.label in cancelled and w.other_course.label not in cancelled
    by_name = en.get(PUPILS + "?when=all&q=zanet").content.decode()
    assert "Zanetti" in by_name and "Okonkwo" not in by_name
    assert "2 immersions" in by_name
    assert en.get(PUPILS + "?when=nonsense&page=abc").status_code == 200


def test_the_list_costs_the_same_queries_whatever_the_rows(client, world):
    w = world
    client.force_login(w.high_school_referent)
    first = make_pupil(w)
    register(w, w.other_slot, first)
    client.get(PUPILS)  # warm up (session, site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PUPILS + "?when=all").status_code == 200
    for index in range(6):
        pupil = make_pupil(w, class_name=f"1re {index}")
        register(w, w.other_slot, pupil)
        register(w, past_slot(w, days=index + 1), pupil, attendance=Attendance.ABSENT)
    with CaptureQueriesContext(connection) as many:
        page = client.get(PUPILS + "?when=all")
    assert "13 immersions" in page.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Cancelling a pupil's registration --------------------------------------------------------------


def test_referent_cancels_a_consenting_pupils_registration_with_a_reason(
    en, world, mailoutbox, django_capture_on_commit_callbacks
):
    w = world
    pupil = make_pupil(w)
    registration = register(w, w.other_slot, pupil)
    with for_site(w.site):
        reason = CancellationReason.objects.create(site=w.site, label="Sortie scolaire annulée")
        CancellationReason.objects.create(site=w.site, label="Managers only", usable_by_registrants=False)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:cancel_pupil_registration", args=[registration.pk])
    page = en.get(url).content.decode()
    assert "Sortie scolaire annulée" in page and "Managers only" not in page
    assert en.post(url, {"reason": "999999"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url, {"reason": reason.pk})
    assert response.status_code == 302 and response.url == PUPILS
    with for_site(w.site):
        registration.refresh_from_db()
        assert Slot.objects.get(pk=w.other_slot.pk).individual_places_taken == 1  # world.other_pupil stays
    assert registration.status == Status.CANCELLED
    assert registration.cancellation_reason == reason and registration.cancelled_by == w.high_school_referent
    assert [m.to for m in mailoutbox] == [[pupil.email]]
    # A second try says so, and changes nothing
    assert "already cancelled" in en.get(url).content.decode()
    assert en.post(url, {"reason": reason.pk}).status_code == 302


def test_cancelling_after_the_deadline_is_refused_with_the_reason(en, world):
    w = world
    pupil = make_pupil(w)
    with for_site(w.site):
        slot = make_slot(w, w.course, days=5, cancellation_deadline=timezone.now() - dt.timedelta(hours=1))
    registration = register(w, slot, pupil)
    en.force_login(w.high_school_referent)
    page = en.get(PUPILS).content.decode()
    assert "Cancellations closed" in page
    url = reverse("registrations:cancel_pupil_registration", args=[registration.pk])
    assert "contact the organisers" in en.get(url).content.decode()
    response = en.post(url, follow=True)
    assert "contact the organisers" in response.content.decode()
    with for_site(w.site):
        assert Registration.objects.get(pk=registration.pk).status == Status.ACTIVE


def test_non_consenting_pupils_registrations_cannot_be_cancelled_by_id(client, world):
    client.force_login(world.high_school_referent)
    url = reverse("registrations:cancel_pupil_registration", args=[world.registration.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with for_site(world.site):
        assert Registration.objects.get(pk=world.registration.pk).status == Status.ACTIVE


def test_other_sites_registrations_are_404(client, world, other_world):
    with for_site(other_world.site):
        PupilRecord.objects.filter(pk=other_world.pupil_record.pk).update(consent_high_school_sees_immersions=True)
    client.force_login(world.high_school_referent)
    url = reverse("registrations:cancel_pupil_registration", args=[other_world.registration.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# --- Registering pupils ----------------------------------------------------------------------------


def test_the_register_page_shows_the_engines_answer_for_each_pupil(en, world):
    w = world
    eligible = make_pupil(w, name="Eligible", class_name="2nde B")
    registered = make_pupil(w, name="Registered")
    register(w, w.slot, registered)
    make_pupil(w, name="Unvalidated", status=RecordStatus.TO_VALIDATE)
    make_pupil(w, name="Elsewhere", high_school=w.host_high_school)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:register_pupils", args=[w.slot.pk])
    page = en.get(url).content.decode()
    assert f'name="pupils" value="{record_of(w, eligible).pk}"' in page
    assert f'name="pupils" value="{record_of(w, registered).pk}"' not in page and "Already registered" in page
    # world.pupil is registered too, but did not share their immersions: nothing about them is said
    assert f'name="pupils" value="{w.pupil_record.pk}"' not in page and "Cannot be registered by you." in page
    assert page.count("Already registered") == 1
    assert "Unvalidated" not in page and "Elsewhere" not in page
    assert page.count('name="pupils"') == 1
    # Filters: by class and by name
    page = en.get(url + "?class=2nde+A").content.decode()
    assert "Eligible" not in page
    page = en.get(url + "?q=eligi").content.decode()
    assert "Eligible" in page and w.pupil.last_name not in page


def test_registering_selected_pupils_reports_each_one(en, world, mailoutbox, django_capture_on_commit_callbacks):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.other_course, days=9, individual_places=1)
    first = make_pupil(w, name="Aaronson")
    second = make_pupil(w, name="Bertrand")
    stranger = make_pupil(w, name="Stranger", high_school=w.host_high_school)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:register_pupils", args=[slot.pk])
    ids = [record_of(w, first).pk, record_of(w, second).pk, record_of(w, stranger).pk, 987654]
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url, {"pupils": ids, "class": "", "q": ""}, follow=True)
    page = response.content.decode()
    assert "2 selected people are not pupils of your high schools; nothing was done for them." in page
    assert "Registered on" in page and "Aaronson" in page
    assert "Bertrand" in page and "This slot is full." in page
    with for_site(w.site):
        assert list(Registration.objects.filter(slot=slot).values_list("person", flat=True)) == [first.pk]
        assert Registration.objects.get(slot=slot).registered_by == w.high_school_referent
        assert not Registration.objects.filter(person=stranger).exists()
    assert [m.to for m in mailoutbox] == [[first.email]]
    # The same submission again registers nobody twice
    response = en.post(url, {"pupils": [record_of(w, first).pk]}, follow=True)
    assert "already registered on this slot" in response.content.decode()
    with for_site(w.site):
        assert Registration.objects.filter(slot=slot).count() == 1


def test_bad_selections_do_nothing(en, world):
    w = world
    en.force_login(w.high_school_referent)
    url = reverse("registrations:register_pupils", args=[w.other_slot.pk])
    assert "Select at least one pupil." in en.post(url, {}, follow=True).content.decode()
    assert "could not be read" in en.post(url, {"pupils": ["x"]}, follow=True).content.decode()
    too_many = en.post(url, {"pupils": list(range(1, 102))}, follow=True).content.decode()
    assert "Select at most 100 pupils at a time; nobody was registered." in too_many
    with for_site(w.site):
        assert Registration.objects.filter(slot=w.other_slot).count() == 1


def test_unpublished_and_other_sites_slots_are_404(client, world, other_world):
    client.force_login(world.high_school_referent)
    for slot in (world.draft_slot, other_world.slot):
        url = reverse("registrations:register_pupils", args=[slot.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"pupils": [world.pupil_record.pk]}).status_code == 404


def test_the_register_page_is_linear_in_the_listed_pupils_only(client, world):
    """Each listed pupil costs one engine evaluation; a page holds at most 25 pupils."""
    w = world
    client.force_login(w.high_school_referent)
    with for_site(w.site):
        slot = make_slot(w, w.other_course, days=20, individual_places=50)
    url = reverse("registrations:register_pupils", args=[slot.pk])
    for _ in range(26):
        make_pupil(w)
    client.get(url)
    with CaptureQueriesContext(connection) as first_page:
        page = client.get(url).content.decode()
    assert page.count('name="pupils"') == 25
    for _ in range(10):
        make_pupil(w)
    with CaptureQueriesContext(connection) as still_first_page:
        client.get(url)
    assert len(still_first_page.captured_queries) == len(first_page.captured_queries)
