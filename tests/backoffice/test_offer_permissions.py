"""Permission matrix of the offer pages: every URL, every role, own and others' objects.

Rules: 404 when the object is not among those the person sees (``offer_filter`` VIEW),
403 when they see it but may not change it; pupils get 403 on the whole back office,
anonymous people are sent to sign in, objects of another site are 404 for everyone.
"""

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.catalogue.models import Course, Event
from apps.staff.models import CharterSignature
from tests.factories import grant

URL_NAMES = [
    "offer_course_list",
    "offer_course_create",
    "offer_course_detail",
    "offer_course_edit",
    "offer_course_delete",
    "offer_course_publish",
    "offer_course_speakers",
    "offer_course_invite_speaker",
    "offer_event_list",
    "offer_event_create",
    "offer_event_detail",
    "offer_event_edit",
    "offer_event_delete",
    "offer_event_publish",
    "offer_event_speakers",
    "offer_event_invite_speaker",
    "offer_my_slots",
]

ROLES = [
    "operator",
    "master_referent",
    "establishment_referent",
    "host_referent",
    "structure_referent",
    "consultant",
    "speaker",
    "high_school_referent",
    "host_high_school_referent",
    "legal",
    "pupil",
]

# Who changes (C) or only sees (V) each object; absent: not visible.
ACCESS = {
    "course": {"establishment_referent": "C", "structure_referent": "C", "consultant": "V", "speaker": "V"},
    "other_course": {"establishment_referent": "C"},
    "host_course": {"host_referent": "C"},
    "bts_course": {"host_high_school_referent": "C"},
    "empty_course": {"establishment_referent": "C", "structure_referent": "C", "consultant": "V"},
    "event": {"establishment_referent": "C"},
    "structure_event": {"establishment_referent": "C", "structure_referent": "C", "consultant": "V"},
    "host_event": {"host_referent": "C"},
    "bts_event": {"host_high_school_referent": "C"},
}
# Who may grant the speaker role where the object belongs (invite a new speaker).
GRANTS = {
    "course": {"establishment_referent", "structure_referent"},
    "other_course": {"establishment_referent"},
    "empty_course": {"establishment_referent", "structure_referent"},
    "event": {"establishment_referent"},
    "structure_event": {"establishment_referent", "structure_referent"},
    "host_course": {"host_referent"},
    "host_event": {"host_referent"},
    "bts_course": {"host_high_school_referent"},
    "bts_event": {"host_high_school_referent"},
}
MANAGERS = {"establishment_referent", "host_referent", "structure_referent", "host_high_school_referent"}


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def w(in_site):
    w = in_site
    CharterSignature.objects.create(site=w.site, charter=w.charter, high_school=w.host_high_school)
    w.course.speakers.add(w.speaker)
    w.empty_course = Course.objects.create(site=w.site, training=w.training, label="Sans créneau")
    w.structure_event = Event.objects.create(
        site=w.site, event_type=w.event_type, label="Visite de labo", establishment=w.master, structure=w.structure
    )
    w.host_event = Event.objects.create(site=w.site, event_type=w.event_type, label="JPO école", establishment=w.host)
    w.bts_event = Event.objects.create(
        site=w.site, event_type=w.event_type, label="JPO lycée", high_school=w.host_high_school
    )
    return w


def access(role, target):
    if role in ("operator", "master_referent"):
        return "C"
    return ACCESS[target].get(role)


def expected(role, target, url):
    level = access(role, target)
    if url == "detail":
        return 200 if level else 404
    if not level:
        return 404
    if level == "V":
        return 403
    if url in ("publish", "delete"):
        return 302
    if url == "invite_speaker" and role not in ("operator", "master_referent") and role not in GRANTS[target]:
        return 403
    return 200


def check(client, method, url, want, problems):
    response = getattr(client, method)(url)
    if response.status_code != want:
        problems.append(f"{method.upper()} {url}: {response.status_code} != {want}")
    return response


@pytest.mark.parametrize("role", ROLES)
def test_object_pages(client, w, role):
    client.force_login(getattr(w, role))
    problems = []
    if role == "pupil":
        for target in ACCESS:
            kind = "course" if "course" in target else "event"
            for url in ("detail", "edit", "speakers", "invite_speaker"):
                check(
                    client,
                    "get",
                    reverse(f"backoffice:offer_{kind}_{url}", args=[getattr(w, target).pk]),
                    403,
                    problems,
                )
            for url in ("publish", "delete"):
                check(
                    client,
                    "post",
                    reverse(f"backoffice:offer_{kind}_{url}", args=[getattr(w, target).pk]),
                    403,
                    problems,
                )
        assert not problems, "\n".join(problems)
        return
    for target in ACCESS:
        kind = "course" if "course" in target else "event"
        obj = getattr(w, target)
        for url in ("detail", "edit", "speakers", "invite_speaker"):
            check(
                client,
                "get",
                reverse(f"backoffice:offer_{kind}_{url}", args=[obj.pk]),
                expected(role, target, url),
                problems,
            )
        check(
            client,
            "post",
            reverse(f"backoffice:offer_{kind}_publish", args=[obj.pk]) + "?",
            expected(role, target, "publish"),
            problems,
        )
    # Delete last: only on objects without slots (those with slots are refused with a message).
    for target in ("empty_course", "structure_event", "host_event", "bts_event"):
        kind = "course" if "course" in target else "event"
        obj = getattr(w, target)
        want = expected(role, target, "delete")
        check(client, "post", reverse(f"backoffice:offer_{kind}_delete", args=[obj.pk]), want, problems)
        still_there = type(obj).objects.filter(pk=obj.pk).exists()
        if still_there == (want == 302):
            problems.append(f"delete {target}: still there = {still_there}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_create_pages(client, w, role):
    client.force_login(getattr(w, role))
    manager = role in MANAGERS or role in ("operator", "master_referent")
    for kind in ("course", "event"):
        response = client.get(reverse(f"backoffice:offer_{kind}_list"), {"q": ""})
        assert response.status_code == (403 if role == "pupil" else 200)
        if role == "pupil":
            continue
        page = response.content.decode()
        for target in ACCESS:
            if (kind == "course") != ("course" in target):
                continue
            assert (getattr(w, target).label in page) == bool(access(role, target)), (role, target)
        create = client.get(reverse(f"backoffice:offer_{kind}_create"))
        assert create.status_code == (200 if manager else 403)


@pytest.mark.parametrize("role", ROLES)
def test_my_slots_and_registrants(client, w, role):
    client.force_login(getattr(w, role))
    my_slots = client.get(reverse("backoffice:offer_my_slots"))
    assert my_slots.status_code == (200 if role == "speaker" else 403)
    # w.slot: course of w.structure; its speaker is w.speaker.
    want = {
        "operator": 200,
        "master_referent": 200,
        "establishment_referent": 200,
        "structure_referent": 200,
        "speaker": 200,
        "consultant": 200,  # reads the registrants of the structure's slots, changes nothing
        "pupil": 403,
    }.get(role, 404)
    assert client.get(reverse("backoffice:registrants_slot", args=[w.slot.pk])).status_code == want
    # A slot of another structure: only the establishment's managers.
    want_other = 200 if role in ("operator", "master_referent", "establishment_referent") else 404
    want_other = 403 if role == "pupil" else want_other
    assert client.get(reverse("backoffice:registrants_slot", args=[w.other_slot.pk])).status_code == want_other


def test_a_speaker_of_a_high_school_sees_their_slots(client, w):
    bts_speaker = w.speaker.__class__.objects.create_user(
        "bts@example.org", "x-long-password", first_name="B", last_name="S"
    )
    grant(bts_speaker, w.site, Role.SPEAKER, high_school=w.host_high_school)
    w.bts_slot.speakers.add(bts_speaker)
    client.force_login(bts_speaker)
    assert "Réseaux" in client.get(reverse("backoffice:offer_my_slots")).content.decode()
    assert client.get(reverse("backoffice:registrants_slot", args=[w.bts_slot.pk])).status_code == 200
    assert client.get(reverse("backoffice:registrants_slot", args=[w.slot.pk])).status_code == 404
    assert client.get(reverse("backoffice:offer_course_edit", args=[w.bts_course.pk])).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, w):
    urls = [reverse(f"backoffice:offer_{kind}_{name}") for kind in ("course", "event") for name in ("list", "create")]
    urls += [
        reverse(f"backoffice:offer_{kind}_{name}", args=[getattr(w, kind).pk])
        for kind in ("course", "event")
        for name in ("detail", "edit", "delete", "publish", "speakers", "invite_speaker")
    ]
    urls += [reverse("backoffice:offer_my_slots"), reverse("backoffice:registrants_slot", args=[w.slot.pk])]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 405:
                continue
            assert response.status_code == 302, url
            assert "login" in response["Location"] or "sign-in" in response["Location"], url


def test_objects_of_another_site_are_404(client, w, other_world):
    client.force_login(w.master_referent)
    ow = other_world
    for kind in ("course", "event"):
        obj = getattr(ow, kind)
        for name in ("detail", "edit", "speakers", "invite_speaker"):
            assert client.get(reverse(f"backoffice:offer_{kind}_{name}", args=[obj.pk])).status_code == 404
        for name in ("publish", "delete"):
            assert client.post(reverse(f"backoffice:offer_{kind}_{name}", args=[obj.pk])).status_code == 404
    assert client.get(reverse("backoffice:registrants_slot", args=[ow.slot.pk])).status_code == 404
    # ...and the other site's referent is nobody here.
    client.force_login(ow.master_referent)
    assert client.get(reverse("backoffice:offer_course_list")).status_code == 403


def test_another_sites_pages_answer_on_its_own_host(client, w, other_world):
    client.force_login(other_world.master_referent)
    response = client.get(
        reverse("backoffice:offer_course_detail", args=[other_world.course.pk]), HTTP_HOST="beta.localhost"
    )
    assert response.status_code == 200
    response = client.get(reverse("backoffice:offer_course_detail", args=[w.course.pk]), HTTP_HOST="beta.localhost")
    assert response.status_code == 404
