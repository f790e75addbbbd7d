"""Speakers', high-school referents' and registrants' dashboards, rights and the live part (HTTP only)."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.academic_calendar.models import Period
from apps.accounts.models import Role
from apps.records.models import PupilRecord, RecordStatus
from apps.registrations.models import Attendance, GroupRegistration, Registration, Status, WaitingStatus
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site
from tests.dashboards.helpers import HOME, english, figure, listed, page, panel, panel_url, register, row, wait
from tests.factories import grant, make_pupil, make_slot, make_user

SIGN_IN = reverse("federation:sign_in")


# --- Rights ------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, world):
    response = client.get(HOME)
    assert response.status_code == 302 and SIGN_IN in response.url
    response = client.get(panel_url("site"))
    assert response.status_code == 302 and SIGN_IN in response.url
    # A poll after the session ended sends the whole page to the sign-in form.
    response = client.get(panel_url("site"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and SIGN_IN in response["HX-Redirect"]


@pytest.mark.parametrize("who", ["consultant", "legal"])
def test_people_without_a_dashboard_are_refused(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(HOME).status_code == 403
    assert client.get(panel_url("site")).status_code == 403


def test_someone_with_no_role_on_the_site_is_refused(client, world):
    client.force_login(make_user())
    assert client.get(HOME).status_code == 403


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("pupil", {"registrant"}),
        ("speaker", {"speaker"}),
        ("high_school_referent", {"high_school"}),
        ("structure_referent", {"scope"}),
        ("establishment_referent", {"scope"}),
        ("master_referent", {"site"}),
        ("host_high_school_referent", {"scope", "high_school"}),
    ],
)
def test_each_person_loads_only_their_own_fragments(client, world, who, allowed):
    client.force_login(getattr(world, who))
    for name in ("site", "scope", "speaker", "high_school", "registrant"):
        expected = 200 if name in allowed else 403
        assert client.get(panel_url(name)).status_code == expected, name
    assert client.get(panel_url("nothing")).status_code == 404
    html = page(client)
    for name in allowed:
        assert f'hx-get="{panel_url(name)}"' in html


def test_several_roles_show_each_panel_on_one_page(client, world):
    w = world
    with for_site(w.site):
        grant(w.speaker, w.site, Role.PUPIL)
        grant(w.speaker, w.site, Role.HIGH_SCHOOL_REFERENT, high_school=w.high_school)
    client.force_login(w.speaker)
    html = page(client)
    positions = [html.index(f'data-panel="{name}"') for name in ("speaker", "high_school", "registrant")]
    assert positions == sorted(positions)
    assert 'data-panel="site"' not in html and 'data-panel="scope"' not in html


def test_staff_whose_charter_is_unsigned_see_a_notice_instead_of_figures(client, world):
    w = world
    client.force_login(w.host_high_school_referent)  # their host high school has not signed
    html = page(client)
    for name in ("scope", "high_school"):
        body = panel(html, name)
        assert 'href="/back-office/staff/charter/"' in body and "data-figure" not in body and "data-list" not in body
    fragment = client.get(panel_url("scope")).content.decode()
    assert 'href="/back-office/staff/charter/"' in fragment and "data-list" not in fragment
    with for_site(w.site):
        CharterSignature.objects.create(
            site=w.site, charter=w.charter, high_school=w.host_high_school, signed_by=w.host_high_school_referent
        )
    html = page(client)
    assert 'href="/back-office/staff/charter/"' not in html
    assert listed(panel(html, "scope"), "slots") == [str(w.bts_slot.pk)]


def test_the_page_polls_every_30_seconds_politely(client, world):
    client.force_login(world.pupil)
    html = page(client)
    assert 'hx-trigger="every 30s, visibilitychange from:document"' in html
    assert "js/dashboard.js" in html  # asks only while the tab is visible (no htmx filter: they need eval)
    assert 'aria-live="polite"' in html and 'hx-swap="innerHTML"' in html


def test_the_menu_shows_the_dashboard_link_to_those_who_have_one(client, world):
    client.force_login(world.pupil)
    assert f'href="{HOME}"' in page(client, reverse("portal:home"))
    client.force_login(world.consultant)
    response = client.get(reverse("portal:home"))
    assert f'href="{HOME}"' not in response.content.decode()


def test_labels_are_french_by_default(client, world):
    client.force_login(world.master_referent)
    html = page(client)
    assert '<html lang="fr">' in html
    assert "Tableau de bord" in html and "Inscriptions" in html and "Aujourd’hui" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Dashboard" in page(client)


# --- Speaker ------------------------------------------------------------------------------------


def test_speaker_sees_next_slots_and_attendance_to_enter(client, world):
    w = world
    with for_site(w.site):
        wait(w.slot, make_pupil(w), minutes_ago=5)
        past = make_slot(w, w.course, days=-1)
        past.speakers.add(w.speaker)
        register(past, make_pupil(w))
        register(past, make_pupil(w), attendance=Attendance.PRESENT)
        entered = make_slot(w, w.course, days=-2)
        entered.speakers.add(w.speaker)
        register(entered, make_pupil(w), attendance=Attendance.ABSENT)
        not_mine = make_slot(w, w.course, days=-1)
        register(not_mine, make_pupil(w))
    english(client)
    client.force_login(w.speaker)
    html = panel(page(client), "speaker")
    assert listed(html, "slots") == [str(w.slot.pk)]
    assert row(html, "slots", w.slot.pk).endswith("1 registrant, 1 on the waiting list")
    assert listed(html, "attendance") == [str(past.pk)]
    assert row(html, "attendance", past.pk).endswith("1 attendance not entered")
    assert f'href="/back-office/slots/{past.pk}/registrants/"' in html


# --- High-school referent -----------------------------------------------------------------------


def test_high_school_referent_figures(client, world):
    w = world
    with for_site(w.site):
        consenting = make_pupil(w, consent_high_school_sees_immersions=True)
        shown = register(w.other_slot, consenting)
        hidden = register(w.host_slot, make_pupil(w))  # no consent
        elsewhere = register(
            w.host_slot, make_pupil(w, high_school=w.host_high_school, consent_high_school_sees_immersions=True)
        )
        past = make_slot(w, w.course, days=-1)
        register(past, consenting)
        group = GroupRegistration.objects.create(
            site=w.site,
            slot=w.event_slot,
            high_school=w.high_school,
            pupils_count=24,
            contact_name="M. Prof",
            contact_email="p@example.org",
        )
        GroupRegistration.objects.create(
            site=w.site,
            slot=w.event_slot,
            high_school=w.host_high_school,
            pupils_count=12,
            contact_name="Mme X",
            contact_email="x@example.org",
        )
        PupilRecord.objects.create(
            site=w.site,
            user=make_user(),
            high_school=w.host_high_school,
            status=RecordStatus.TO_VALIDATE,
            submitted_at=timezone.now(),
        )
    client.force_login(w.high_school_referent)
    html = panel(page(client), "high_school")
    assert figure(html, "to-validate") == 1
    assert 'href="/back-office/records/validation/"' in html
    assert listed(html, "immersions") == [str(shown.pk)]
    assert f'data-registration="{hidden.pk}"' not in html and f'data-registration="{elsewhere.pk}"' not in html
    assert listed(html, "groups") == [str(group.pk)]
    assert "24" in row(html, "groups", group.pk)


# --- Pupils, students, visitors -----------------------------------------------------------------


def test_registrant_sees_next_immersion_quota_and_waiting_lists(client, world):
    w = world
    with for_site(w.site):
        soon = make_slot(w, w.other_course, days=3)
        register(soon, w.pupil)
        cancelled = register(w.host_slot, w.pupil)
        Registration.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED, cancelled_at=timezone.now())
        full = make_slot(w, w.course, days=10)
        wait(full, make_user(), minutes_ago=30)
        wait(full, make_user(), minutes_ago=20)
        entry = wait(full, w.pupil, minutes_ago=10)
        wait(full, make_user(), minutes_ago=5)  # behind
        offered = make_slot(w, w.course, days=12)
        offer = wait(
            offered,
            w.pupil,
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=5),
        )
        later = Period.objects.create(
            site=w.site,
            year=w.year,
            label="Printemps",
            quota_per_person=2,
            registration_start=timezone.now() - dt.timedelta(days=1),
            registration_end=timezone.now() + dt.timedelta(days=30),
            immersion_start=timezone.localdate(),
            immersion_end=timezone.localdate() + dt.timedelta(days=30),
        )
        register(make_slot(w, w.course, days=20, period=later), w.pupil)
        Period.objects.create(
            site=w.site,
            year=w.year,
            label="Fermée",
            quota_per_person=3,
            registration_start=timezone.now() - dt.timedelta(days=30),
            registration_end=timezone.now() - dt.timedelta(days=1),
            immersion_start=timezone.localdate(),
            immersion_end=timezone.localdate() + dt.timedelta(days=30),
        )
    english(client)
    client.force_login(w.pupil)
    html = panel(page(client), "registrant")
    assert (
        f'<span class="dashboard-slot-label">{soon.course.label}</span>'
        in html.split('data-figure="next-immersion"')[1][:200]
    )
    assert "Semestre : 2 registrations left out of 4" in html  # slot + soon; the cancelled one is given back
    assert "Printemps : 1 registration left out of 2" in html
    assert "Fermée" not in html
    assert listed(html, "waiting") == [str(entry.pk)]
    assert row(html, "waiting", entry.pk).endswith("position 3")
    assert listed(html, "offers") == [str(offer.pk)]
    assert 'href="/my-immersions/"' in html


def test_registrant_without_immersion(client, world):
    english(client)
    client.force_login(world.visitor)
    html = panel(page(client), "registrant")
    assert 'data-figure="next-immersion"' not in html
    assert listed(html, "waiting") == [] and listed(html, "offers") == []
    assert "Semestre : 4 registrations left out of 4" in html
