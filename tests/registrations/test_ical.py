"""The secret calendar subscription: the page, revocation, and the iCalendar feed itself."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations import ical, services
from apps.registrations.models import CalendarFeed, Registration, Status
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

CALENDAR = reverse("registrations:calendar")


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def feed_of(world, person):
    with for_site(world.site):
        return services.calendar_feed(world.site, person)


def unfold(body):
    return body.replace("\r\n ", "")


def events(body):
    return unfold(body).split("BEGIN:VEVENT")[1:]


# --- Generator ---------------------------------------------------------------------------


def test_text_is_escaped():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert ical.escape_text("x\r\ny") == "x\\ny"


@pytest.mark.parametrize("text", ["A" * 200, "é" * 120, "a" + "😀" * 40, "short"])
def test_lines_fold_at_75_octets_without_breaking_characters(text):
    folded = ical.fold("SUMMARY:" + text)
    lines = folded.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert folded.replace("\r\n ", "") == "SUMMARY:" + text


# --- The page ---------------------------------------------------------------------------


def test_calendar_page_shows_an_absolute_secret_address(en, world, client):
    response = client.get(CALENDAR)
    assert response.status_code == 302 and "next=" in response.url
    en.force_login(world.pupil)
    page = en.get(CALENDAR).content.decode()
    token = feed_of(world, world.pupil).key
    assert f"http://testserver/my-immersions/calendar/{token}.ics" in page
    assert en.get(CALENDAR).content.decode().count(token) >= 1  # the same address on each visit
    assert feed_of(world, world.pupil).key == token


def test_revoking_replaces_the_address(en, world):
    en.force_login(world.pupil)
    en.get(CALENDAR)
    old = feed_of(world, world.pupil).key
    old_url = reverse("registrations:ical_feed", args=[old])
    assert en.get(old_url).status_code == 200
    response = en.post(CALENDAR)
    assert response.status_code == 302
    new = feed_of(world, world.pupil).key
    assert new != old
    assert en.get(old_url).status_code == 404
    assert en.get(reverse("registrations:ical_feed", args=[new])).status_code == 200
    assert new in en.get(CALENDAR).content.decode()


# --- The feed ---------------------------------------------------------------------------


def test_feed_needs_no_login_and_lists_active_registrations(en, world):
    with for_site(world.site):
        slot = make_slot(world, world.host_course, days=3, room="B2, niveau 1; aile\\nord", start_time=dt.time(8, 30))
        kept = Registration.objects.create(site=world.site, slot=slot, person=world.pupil)
        cancelled = Registration.objects.create(
            site=world.site,
            slot=world.other_slot,
            person=world.pupil,
            status=Status.CANCELLED,
            cancelled_at=timezone.now(),
        )
        old_slot = make_slot(world, world.course, days=-200)
        old = Registration.objects.create(site=world.site, slot=old_slot, person=world.pupil)
    response = en.get(reverse("registrations:ical_feed", args=[feed_of(world, world.pupil).key]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "\n" not in body.replace("\r\n", "")
    found = events(body)
    assert len(found) == 2  # world.registration and ``kept``; not the cancelled one, not the old one
    uids = [line for line in unfold(body).split("\r\n") if line.startswith("UID:")]
    assert f"UID:registration-{kept.pk}@alpha.immersup" in uids
    assert f"UID:registration-{world.registration.pk}@alpha.immersup" in uids
    assert f"registration-{cancelled.pk}@" not in body and f"registration-{old.pk}@" not in body
    event = next(e for e in found if f"registration-{kept.pk}@" in e)
    start = timezone.make_aware(dt.datetime.combine(slot.date, dt.time(8, 30))).astimezone(dt.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in event
    assert "SUMMARY:Robotique" in event
    assert "LOCATION:Campus central\\, Atrium\\, B2\\, niveau 1\\; aile\\\\nord" in event
    assert "DESCRIPTION:Training: Diplôme d'ingénieur" in event
    assert world.pupil.email not in body


def test_the_uid_is_stable_and_cancelled_ones_disappear(client, world):
    url = reverse("registrations:ical_feed", args=[feed_of(world, world.pupil).key])
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    uid = f"UID:registration-{world.registration.pk}@alpha.immersup"
    assert uid in first and uid in second
    with for_site(world.site):
        services.cancel_registration(world.registration, by=world.pupil, notify=False)
    assert uid not in client.get(url).content.decode()


def test_unknown_and_other_site_tokens_are_404(client, world, other_world):
    assert client.get(reverse("registrations:ical_feed", args=["not-a-token"])).status_code == 404
    with for_site(other_world.site):
        foreign = services.calendar_feed(other_world.site, world.pupil)
    url = reverse("registrations:ical_feed", args=[foreign.key])
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HOST="beta.localhost").status_code == 200


def test_the_feed_of_a_deactivated_account_is_404(client, world):
    token = feed_of(world, world.pupil).key
    world.pupil.is_active = False
    world.pupil.save()
    assert client.get(reverse("registrations:ical_feed", args=[token])).status_code == 404
    with for_site(world.site):
        assert CalendarFeed.objects.filter(digest=CalendarFeed.digest_of(token)).exists()


def test_a_remote_slot_keeps_its_link_out_of_the_feed(en, world):
    with for_site(world.site):
        slot = make_slot(
            world, world.host_course, days=4, place=Slot.Place.REMOTE, remote_url="https://visio.example/x"
        )
        Registration.objects.create(site=world.site, slot=slot, person=world.pupil)
    body = en.get(reverse("registrations:ical_feed", args=[feed_of(world, world.pupil).key])).content.decode()
    assert "visio.example" not in unfold(body)
    assert "LOCATION:Remote" in unfold(body)


def test_the_table_holds_no_usable_address(client, world, settings):
    """A copy of the calendar-feed table opens no calendar: neither the seed nor the digest is the key."""
    feed = feed_of(world, world.pupil)
    assert feed.key not in (feed.seed, feed.digest)
    with for_site(world.site):
        stored = CalendarFeed.objects.values("seed", "digest").get(pk=feed.pk)
    for value in stored.values():
        assert client.get(reverse("registrations:ical_feed", args=[value])).status_code == 404
    assert client.get(reverse("registrations:ical_feed", args=[feed.key])).status_code == 200
    settings.SECRET_KEY = "another-deployment-secret-key-0123456789-abcdefghijklmnop"
    assert client.get(reverse("registrations:ical_feed", args=[feed.key_for(stored["seed"])])).status_code == 404
