"""Courses, events and speakers end to end: forms, services, forged input, e-mails, query counts."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.policy import actor_for
from apps.catalogue import offer_services
from apps.catalogue.models import Course, Event, Slot, Training
from apps.organisations.models import Structure
from apps.staff.models import CharterSignature
from tests.factories import grant, make_slot, make_user


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def course_data(training, **extra):
    data = {"training": training.pk, "label": "Bases de données", "description": "SQL", "url": "https://example.org"}
    data.update(extra)
    return data


def test_a_structure_referent_creates_a_course_sets_speakers_and_publishes_it(
    client, in_site, django_capture_on_commit_callbacks
):
    w = in_site
    client.force_login(w.structure_referent)
    response = client.post(reverse("backoffice:offer_course_create"), course_data(w.training))
    assert response.status_code == 302, response.content.decode()
    course = Course.objects.get(label="Bases de données")
    assert course.training == w.training and not course.published
    # The speakers offered are those of the establishment; picking one tells them by e-mail.
    page = client.get(reverse("backoffice:offer_course_speakers", args=[course.pk])).content.decode()
    assert w.speaker.email in page and w.consultant.email not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with_speaker = client.post(
            reverse("backoffice:offer_course_speakers", args=[course.pk]), {"speakers": [w.speaker.pk]}
        )
    assert with_speaker.status_code == 302
    assert list(course.speakers.all()) == [w.speaker]
    assert [m.to for m in mail.outbox] == [[w.speaker.email]]
    client.post(reverse("backoffice:offer_course_publish", args=[course.pk]), {"published": "1"})
    course.refresh_from_db()
    assert course.published


def test_the_publication_window_is_checked(client, in_site):
    w = in_site
    client.force_login(w.structure_referent)
    today = timezone.localdate()
    data = course_data(w.training, publication_start=today, publication_end=today - dt.timedelta(days=1))
    response = client.post(reverse("backoffice:offer_course_create"), data)
    assert response.status_code == 400
    assert "The end of publication comes before its start." in response.content.decode()
    assert not Course.objects.filter(label="Bases de données").exists()


def test_a_course_name_is_unique_per_training(client, in_site):
    w = in_site
    client.force_login(w.structure_referent)
    response = client.post(reverse("backoffice:offer_course_create"), course_data(w.training, label="algorithmique"))
    assert response.status_code == 400
    assert "already has a course with this name" in response.content.decode()


@pytest.mark.parametrize("training", ["other_training", "host_training", "bts"])
def test_a_forged_training_is_a_form_error(client, in_site, training):
    w = in_site
    client.force_login(w.structure_referent)
    response = client.post(reverse("backoffice:offer_course_create"), course_data(getattr(w, training)))
    assert response.status_code == 400
    assert not Course.objects.filter(label="Bases de données").exists()
    # ...nor can an existing course be moved there.
    response = client.post(
        reverse("backoffice:offer_course_edit", args=[w.course.pk]), course_data(getattr(w, training))
    )
    assert response.status_code == 400
    w.course.refresh_from_db()
    assert w.course.training == w.training


def test_a_training_of_another_site_is_a_form_error(client, in_site, other_world):
    w = in_site
    client.force_login(w.master_referent)
    response = client.post(reverse("backoffice:offer_course_create"), course_data(other_world.training))
    assert response.status_code == 400
    assert not Course.objects.with_scopes_disabled().filter(label="Bases de données").exists()


def test_a_forged_speaker_is_a_form_error(client, in_site, other_world):
    w = in_site
    outsider = make_user()
    grant(outsider, w.site, Role.SPEAKER, establishment=w.host)  # a speaker of another establishment
    client.force_login(w.structure_referent)
    for person in (outsider, w.consultant, other_world.speaker):
        response = client.post(
            reverse("backoffice:offer_course_speakers", args=[w.course.pk]), {"speakers": [person.pk]}
        )
        assert response.status_code == 400
    assert not w.course.speakers.exists()


def test_a_forged_event_owner_is_a_form_error(client, in_site, other_world):
    w = in_site
    client.force_login(w.structure_referent)
    url = reverse("backoffice:offer_event_create")
    base = {"event_type": w.event_type.pk, "label": "Visite"}
    forged = [
        {"establishment": w.host.pk},
        {"establishment": w.master.pk},  # the whole establishment: not a structure referent's
        {"establishment": w.master.pk, "structure": w.other_structure.pk},
        {"establishment": w.master.pk, "structure": w.host_structure.pk},
        {"high_school": w.host_high_school.pk},
        {"establishment": w.master.pk, "structure": w.structure.pk, "high_school": w.host_high_school.pk},
        {"establishment": other_world.master.pk},
        {"establishment": w.master.pk, "structure": w.structure.pk, "event_type": other_world.event_type.pk},
    ]
    for owner in forged:
        response = client.post(url, {**base, **owner})
        assert response.status_code == 400, owner
    assert not Event.objects.filter(label="Visite").exists()
    response = client.post(url, {**base, "establishment": w.master.pk, "structure": w.structure.pk})
    assert response.status_code == 302
    assert Event.objects.get(label="Visite").structure == w.structure


def test_the_host_high_school_referent_manages_its_offer(client, in_site):
    w = in_site
    CharterSignature.objects.create(site=w.site, charter=w.charter, high_school=w.host_high_school)
    client.force_login(w.host_high_school_referent)
    response = client.post(reverse("backoffice:offer_course_create"), course_data(w.bts, label="Cybersécurité"))
    assert response.status_code == 302
    url = reverse("backoffice:offer_event_create")
    response = client.post(url, {"event_type": w.event_type.pk, "label": "JPO", "high_school": w.host_high_school.pk})
    assert response.status_code == 302
    assert Event.objects.get(label="JPO").high_school == w.host_high_school


def test_inviting_a_new_speaker_grants_the_role_sends_the_mail_and_adds_them(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    mail.outbox.clear()
    data = {"invite-email": "ada@example.org", "invite-first_name": "Ada", "invite-last_name": "Lovelace"}
    data["invite-method"] = "local"
    response = client.post(reverse("backoffice:offer_course_invite_speaker", args=[w.course.pk]), data)
    assert response.status_code == 302, response.content.decode()
    ada = User.objects.get(email="ada@example.org")
    assert RoleAssignment.objects.filter(user=ada, role=Role.SPEAKER, establishment=w.master).exists()
    assert list(w.course.speakers.all()) == [ada]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    assert "/back-office/staff/invitation/" in mail.outbox[0].body
    # Inviting someone who already is a speaker there simply adds them.
    data.update({"invite-email": w.speaker.email})
    response = client.post(reverse("backoffice:offer_course_invite_speaker", args=[w.course.pk]), data)
    assert response.status_code == 302
    assert set(w.course.speakers.all()) == {ada, w.speaker}


def test_a_structure_referent_invites_a_speaker_of_its_establishment(client, in_site):
    w = in_site
    client.force_login(w.structure_referent)
    data = {
        "invite-email": "ada@example.org",
        "invite-first_name": "A",
        "invite-last_name": "L",
        "invite-method": "local",
    }
    response = client.post(reverse("backoffice:offer_course_invite_speaker", args=[w.course.pk]), data)
    assert response.status_code == 302
    ada = User.objects.get(email="ada@example.org")
    assert ada in w.course.speakers.all()
    assert ada.role_assignments.get().establishment_id == w.master.pk


def test_removing_a_speaker_keeps_them_on_past_slots_only(in_site):
    w = in_site
    actor = actor_for(w.structure_referent, w.site)
    past = make_slot(w, w.course, days=-7)
    for slot in (past, w.slot):
        slot.speakers.add(w.speaker)
    w.course.speakers.add(w.speaker)
    offer_services.set_speakers(actor, w.site, w.course, [])
    assert not w.course.speakers.exists()
    assert list(past.speakers.all()) == [w.speaker]
    assert not w.slot.speakers.exists()


def test_a_course_with_slots_is_not_deleted(client, in_site):
    w = in_site
    client.force_login(w.structure_referent)
    response = client.post(reverse("backoffice:offer_course_delete", args=[w.course.pk]), follow=True)
    assert "It has slots" in response.content.decode()
    assert Course.objects.filter(pk=w.course.pk).exists()


def test_list_filters(client, in_site):
    w = in_site
    today = timezone.localdate()
    Course.objects.filter(pk=w.course.pk).update(publication_start=today + dt.timedelta(days=3))
    client.force_login(w.establishment_referent)
    url = reverse("backoffice:offer_course_list")

    def labels(**query):
        page = client.get(url, query).content.decode()
        return {c.label for c in Course.objects.all() if f">{c.label}</a>" in page}

    assert labels(window="future") == {"Algorithmique"}
    assert labels(structure=w.other_structure.pk) == {"Poésie"}
    assert labels(training=w.training.pk) == {"Algorithmique"}
    assert labels(q="poés") == {"Poésie"}
    assert labels(published="false") == set()
    assert labels(window="current") == {"Poésie"}
    # The filters are kept for the next visit.
    assert client.get(url)["Location"].endswith("?window=current")
    # Upcoming slots and places are counted in the list.
    Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=3)
    page = client.get(url, {"q": "Algorithmique"}).content.decode()
    assert "3 / 20" in page  # w.slot and the draft slot: 10 places each, 3 taken
    assert client.get(url, {"structure": "999999"}).status_code == 200


def _add_courses(w, n, start=0):
    for i in range(start, start + n):
        course = Course.objects.create(site=w.site, training=w.training, label=f"Cours {i:02}", published=True)
        slot = make_slot(w, course, days=3 + i % 5)
        slot.speakers.add(w.speaker)
        course.speakers.add(w.speaker)
        Event.objects.create(site=w.site, event_type=w.event_type, label=f"Événement {i:02}", establishment=w.master)


def _count(client, url, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {"q": ""})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "url_name", "query"),
    [
        ("structure_referent", "offer_course_list", None),
        ("establishment_referent", "offer_event_list", None),
        ("master_referent", "offer_course_list", None),
        ("consultant", "offer_course_list", None),
        ("speaker", "offer_my_slots", {"tab": "upcoming"}),
    ],
)
def test_lists_run_a_constant_number_of_queries(client, in_site, who, url_name, query):
    w = in_site
    client.force_login(getattr(w, who))
    url = reverse(f"backoffice:{url_name}")
    _add_courses(w, 3)
    _count(client, url, query)  # warm-up: session, site cache
    few = _count(client, url, query)
    _add_courses(w, 27, start=3)
    many = _count(client, url, query)
    assert few == many


def test_services_refuse_other_sites_and_other_structures(in_site, other_world):
    from django.core.exceptions import PermissionDenied

    w = in_site
    actor = actor_for(w.structure_referent, w.site)
    with pytest.raises(PermissionDenied):
        offer_services.create_course(actor, w.site, training=w.other_training, label="X")
    with pytest.raises(PermissionDenied):
        offer_services.set_published(actor, w.site, w.other_course, True)
    master = actor_for(w.master_referent, w.site)
    with pytest.raises(PermissionDenied):
        offer_services.create_course(
            master, w.site, training=Training.objects.with_scopes_disabled().get(pk=other_world.training.pk), label="X"
        )
    structure = Structure.objects.get(pk=w.structure.pk)
    assert offer_services.create_course(actor, w.site, training=w.training, label=" Nouveau ").label == "Nouveau"
    assert structure.trainings.count() == 1


def test_my_slots_upcoming_and_past_and_the_registrants(client, in_site):
    w = in_site
    past = make_slot(w, w.other_course, days=-3)
    past.speakers.add(w.speaker)
    w.event_slot.speakers.add(w.speaker)
    client.force_login(w.speaker)
    upcoming = client.get(reverse("backoffice:offer_my_slots")).content.decode()
    assert "Algorithmique" in upcoming and "Portes ouvertes" in upcoming and "Poésie" not in upcoming
    assert "Atrium" in upcoming  # the place
    earlier = client.get(reverse("backoffice:offer_my_slots"), {"tab": "past"}).content.decode()
    assert "Poésie" in earlier and "Algorithmique" not in earlier
    registrants = client.get(reverse("backoffice:registrants_slot", args=[w.slot.pk])).content.decode()
    assert w.pupil.last_name in registrants


def test_editing_an_event_and_unpublishing_it_from_the_list(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    url = reverse("backoffice:offer_event_edit", args=[w.event.pk])
    assert client.get(url).status_code == 200
    data = {"event_type": w.event_type.pk, "label": "Portes ouvertes 2027", "establishment": w.master.pk}
    data.update({"structure": w.other_structure.pk, "published": "on"})
    assert client.post(url, data).status_code == 302
    w.event.refresh_from_db()
    assert (w.event.label, w.event.structure, w.event.published) == ("Portes ouvertes 2027", w.other_structure, True)
    publish = reverse("backoffice:offer_event_publish", args=[w.event.pk])
    response = client.post(publish, {"published": "0", "next": "list"})
    assert response["Location"] == reverse("backoffice:offer_event_list")
    w.event.refresh_from_db()
    assert not w.event.published
    # A structure of another establishment is refused.
    data.update({"structure": w.host_structure.pk})
    assert client.post(url, data).status_code == 400
