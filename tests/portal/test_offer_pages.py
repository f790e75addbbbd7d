"""The public offer pages: domains, subdomains, trainings, courses, events, organisations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Course, Event, Slot, Training
from apps.organisations.models import Establishment, HighSchool, Structure
from apps.referentials.models import TrainingDomain, TrainingSubdomain
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"  # assertions read the English source messages


def _get(client, name, *args, **kwargs):
    response = client.get(reverse(f"portal:{name}", args=args), **kwargs)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def _slot_url(slot):
    return reverse("portal:slot", args=[slot.pk])


def test_offer_counts_courses_with_an_upcoming_slot_per_subdomain(client, world):
    with for_site(world.site):
        # A second course with two slots counts once; a course without slot, a draft course and
        # a cancelled / past / unpublished slot count for nothing.
        second = Course.objects.create(
            site=world.site, training=world.training, label="Réseaux de neurones", published=True
        )
        make_slot(world, second, days=3)
        make_slot(world, second, days=4)
        Course.objects.create(site=world.site, training=world.training, label="Sans créneau", published=True)
        draft = Course.objects.create(site=world.site, training=world.training, label="Brouillon")
        make_slot(world, draft)
        lonely = Course.objects.create(site=world.site, training=world.training, label="Seul", published=True)
        make_slot(world, lonely, days=-2)
        make_slot(world, lonely, published=False)
        make_slot(world, lonely, cancelled_at=timezone.now())
        empty = TrainingSubdomain.objects.create(site=world.site, domain=world.subdomain.domain, label="Robotique")

    content = _get(client, "offer")

    assert "Sciences &amp; Technologies" in content
    assert reverse("portal:subdomain", args=[world.subdomain.pk]) in content
    assert "2 courses available" in content
    assert reverse("portal:subdomain", args=[empty.pk]) in content and "0 courses available" in content
    assert reverse("content:resources") in content


def test_offer_hides_inactive_domains_and_other_sites(client, world, other_world):
    with for_site(world.site):
        hidden = TrainingDomain.objects.create(site=world.site, label="Domaine fermé", is_active=False)
        TrainingSubdomain.objects.create(site=world.site, domain=hidden, label="Sous-domaine caché")

    content = _get(client, "offer")

    assert "Domaine fermé" not in content and "Sous-domaine caché" not in content
    assert reverse("portal:subdomain", args=[other_world.subdomain.pk]) not in content


def test_subdomain_lists_its_trainings_and_their_public_courses(client, world):
    with for_site(world.site):
        Course.objects.create(site=world.site, training=world.training, label="Cours brouillon")
        closed = Training.objects.create(
            site=world.site, label="Licence fermée", structure=world.structure, is_active=False
        )
        closed.subdomains.add(world.subdomain)

    content = _get(client, "subdomain", world.subdomain.pk)

    assert "<h1" in content and world.subdomain.label in content
    assert world.training.label in content and reverse("portal:training", args=[world.training.pk]) in content
    assert reverse("portal:course", args=[world.course.pk]) in content
    assert "1 upcoming slot" in content
    assert "Cours brouillon" not in content
    assert "Licence fermée" not in content
    assert world.other_training.label not in content  # not in this subdomain


def test_subdomain_of_another_site_or_inactive_is_a_404(client, world, other_world):
    assert client.get(reverse("portal:subdomain", args=[other_world.subdomain.pk])).status_code == 404
    with for_site(world.site):
        TrainingSubdomain.objects.filter(pk=world.subdomain.pk).update(is_active=False)
    assert client.get(reverse("portal:subdomain", args=[world.subdomain.pk])).status_code == 404


def test_training_shows_its_owner_and_upcoming_public_slots(client, world):
    with for_site(world.site):
        past = make_slot(world, world.course, days=-1)
        cancelled = make_slot(world, world.course, days=5, cancelled_at=timezone.now())
        later = make_slot(
            world, world.course, days=9, place=Slot.Place.REMOTE, remote_url="https://visio.example.org/x"
        )

    content = _get(client, "training", world.training.pk)

    assert world.training.label in content
    assert world.master.label in content and world.structure.label in content
    assert world.subdomain.label in content
    assert _slot_url(world.slot) in content and _slot_url(later) in content
    assert _slot_url(world.draft_slot) not in content
    assert _slot_url(past) not in content and _slot_url(cancelled) not in content
    assert "visio.example.org" not in content
    assert world.campus.label in content and world.building.label in content


def test_training_of_a_host_high_school(client, world):
    content = _get(client, "training", world.bts.pk)

    assert world.host_high_school.label in content
    assert _slot_url(world.bts_slot) in content


def test_inactive_training_or_of_another_site_is_a_404(client, world, other_world):
    assert client.get(reverse("portal:training", args=[other_world.training.pk])).status_code == 404
    with for_site(world.site):
        Training.objects.filter(pk=world.training.pk).update(is_active=False)
    assert client.get(reverse("portal:training", args=[world.training.pk])).status_code == 404


def test_course_page(client, world):
    with for_site(world.site):
        world.course.description = "Des graphes et des arbres."
        world.course.url = "https://alpha.example.org/algo"
        world.course.save()
        Slot.objects.filter(pk=world.slot.pk).update(individual_places=1)  # one taken: full

    content = _get(client, "course", world.course.pk)

    assert "Des graphes et des arbres." in content
    assert 'href="https://alpha.example.org/algo"' in content
    assert _slot_url(world.slot) in content and "places-full" in content
    assert "Face-to-face" in content
    assert _slot_url(world.draft_slot) not in content


@pytest.mark.parametrize("change", ["unpublished", "window_over", "window_not_started", "training_closed"])
def test_course_outside_its_publication_is_a_404(client, world, change):
    today = timezone.localdate()
    with for_site(world.site):
        if change == "unpublished":
            Course.objects.filter(pk=world.course.pk).update(published=False)
        elif change == "window_over":
            Course.objects.filter(pk=world.course.pk).update(
                publication_start=today - dt.timedelta(days=9), publication_end=today - dt.timedelta(days=1)
            )
        elif change == "window_not_started":
            Course.objects.filter(pk=world.course.pk).update(publication_start=today + dt.timedelta(days=1))
        else:
            Training.objects.filter(pk=world.training.pk).update(is_active=False)

    assert client.get(reverse("portal:course", args=[world.course.pk])).status_code == 404
    assert client.get(_slot_url(world.slot)).status_code == 404


def test_course_of_another_site_is_a_404(client, world, other_world):
    assert client.get(reverse("portal:course", args=[other_world.course.pk])).status_code == 404


def test_events_grouped_by_type(client, world):
    with for_site(world.site):
        conference = world.event_type.__class__.objects.create(site=world.site, label="Conférence", position=5)
        talk = Event.objects.create(
            site=world.site, event_type=conference, label="Parler d'IA", establishment=world.host, published=True
        )
        talk_slot = Slot.objects.create(
            site=world.site,
            event=talk,
            period=world.period,
            date=timezone.localdate() + dt.timedelta(days=3),
            start_time=dt.time(14),
            end_time=dt.time(16),
            place=Slot.Place.REMOTE,
            remote_url="https://visio.example.org/secret",
            individual_places=100,
            published=True,
        )
        hidden = Event.objects.create(
            site=world.site, event_type=conference, label="Événement caché", establishment=world.host
        )
        make_slot(world, None, event=hidden, course_type=None)

    content = _get(client, "events")

    assert world.event_type.label in content and "Conférence" in content
    assert content.index(world.event_type.label) < content.index("Conférence")  # types in their order
    assert _slot_url(world.event_slot) in content and _slot_url(talk_slot) in content
    assert "Événement caché" not in content
    assert "visio.example.org" not in content
    assert world.course.label not in content


def test_establishments_page(client, world, other_world):
    with for_site(world.site):
        Establishment.objects.filter(pk=world.host.pk).update(city="Mulhouse", website="https://ecole.example.org")
        Establishment.objects.create(site=world.site, code="OLD", label="Ancien établissement", is_active=False)
        Structure.objects.create(site=world.site, establishment=world.master, code="X", label="Fermée", is_active=False)

    content = _get(client, "establishments")

    assert world.master.label in content and world.host.label in content
    assert "Mulhouse" in content and 'href="https://ecole.example.org"' in content
    assert world.structure.label in content and world.host_structure.label in content
    assert "Ancien établissement" not in content and "Fermée" not in content
    assert other_world.master.label not in content


def test_high_schools_page_lists_agreements_in_force(client, world, other_world):
    today = timezone.localdate()
    with for_site(other_world.site):
        HighSchool.objects.filter(pk=other_world.high_school.pk).update(label="Lycée de Beta")
    with for_site(world.site):
        HighSchool.objects.create(
            site=world.site,
            uai="0670050X",
            label="Lycée expiré",
            city="Sélestat",
            agreement_start=today - dt.timedelta(days=400),
            agreement_end=today - dt.timedelta(days=1),
        )

    content = _get(client, "high_schools")

    assert world.high_school.label in content and "<caption>" in content
    assert world.host_high_school.label not in content  # no agreement
    assert "Lycée expiré" not in content
    assert "Lycée de Beta" not in content


@pytest.mark.parametrize(
    "name,args",
    [
        ("offer", ()),
        ("events", ()),
        ("search", ()),
        ("establishments", ()),
        ("high_schools", ()),
        ("subdomain", ("subdomain",)),
        ("training", ("training",)),
        ("course", ("course",)),
        ("slot", ("slot",)),
    ],
)
def test_public_pages_show_no_personal_data(client, world, name, args):
    with for_site(world.site):
        world.course.speakers.add(world.speaker)
        world.event.speakers.add(world.speaker)
        world.event_slot.speakers.add(world.speaker)

    content = _get(client, name, *(getattr(world, arg).pk for arg in args))

    for person in (world.speaker, world.pupil, world.structure_referent):
        assert person.email not in content
        assert person.last_name not in content


# --- "Tell me when a new slot opens" -------------------------------------------------------------


@pytest.fixture
def course_without_slot(world):
    with for_site(world.site):
        return Course.objects.create(site=world.site, training=world.training, label="Compilation", published=True)


def _alert_form(content, course):
    action = f'action="{reverse("registrations:course_alert", args=[course.pk])}"'
    return action in content


def test_course_without_slot_offers_an_alert_to_signed_in_people(client, world, course_without_slot):
    client.force_login(world.pupil)

    content = _get(client, "course", course_without_slot.pk)

    assert _alert_form(content, course_without_slot)
    assert 'name="action" value="add"' in content and "Your alert is not active." in content


def test_an_active_alert_shows_as_active(client, world, course_without_slot):
    from apps.registrations.models import CourseAlert

    with for_site(world.site):
        CourseAlert.objects.create(site=world.site, course=course_without_slot, person=world.pupil)
    client.force_login(world.pupil)

    content = _get(client, "course", course_without_slot.pk)

    assert 'name="action" value="remove"' in content and "Your alert is active" in content
    client.force_login(world.other_pupil)  # someone else's alert is not theirs
    assert 'name="action" value="add"' in _get(client, "course", course_without_slot.pk)


def test_anonymous_visitors_are_asked_to_sign_in_for_alerts(client, world, course_without_slot):
    content = _get(client, "course", course_without_slot.pk)

    assert not _alert_form(content, course_without_slot)
    assert f"{reverse('federation:sign_in')}?next=" in content


def test_a_course_with_upcoming_slots_has_no_alert(client, world):
    client.force_login(world.pupil)

    assert not _alert_form(_get(client, "course", world.course.pk), world.course)
