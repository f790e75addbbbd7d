"""Every slot URL, as every role, on its own slots and on another structure's / establishment's / site's."""

import pytest
from django.urls import reverse

from apps.catalogue.models import Slot
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site

URL_NAMES = [
    "slots_list",
    "slots_create",
    "slots_bulk",
    "slots_detail",
    "slots_edit",
    "slots_duplicate",
    "slots_repeat",
    "slots_publish",
    "slots_unpublish",
    "slots_cancel",
    "slots_delete",
]
VIEW_URLS = {"slots_list", "slots_detail"}
POST_URLS = {"slots_publish", "slots_unpublish"}
OBJECT_URLS = set(URL_NAMES) - {"slots_list", "slots_create", "slots_bulk"}

#: role -> (its own slot, another scope's slot) as world attribute names (None: another site's slot).
ROLES = {
    "operator": ("slot", None),
    "master_referent": ("slot", None),
    "establishment_referent": ("slot", "host_slot"),
    "host_referent": ("host_slot", "slot"),
    "structure_referent": ("slot", "other_slot"),
    "consultant": ("slot", "other_slot"),
    "speaker": ("slot", "other_slot"),
    "high_school_referent": (None, "slot"),
    "host_high_school_referent": ("bts_slot", "slot"),
    "pupil": ("slot", "other_slot"),
}
MANAGERS = {
    "operator",
    "master_referent",
    "establishment_referent",
    "host_referent",
    "structure_referent",
    "host_high_school_referent",
}
READERS = {"consultant", "speaker"}


@pytest.fixture(scope="class")
def slots_world(class_world):
    """The world, built once for a test class (see ``class_db`` in tests/conftest.py), with the
    host high school's charter signed (so that its referent may use the back office)."""
    with for_site(class_world.site):
        CharterSignature.objects.create(
            site=class_world.site,
            charter=class_world.charter,
            high_school=class_world.host_high_school,
            signed_by=class_world.host_high_school_referent,
        )
    return class_world


@pytest.fixture
def sign_in(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def login(role):
        if role != "anonymous":
            client.force_login(getattr(world, role))
        return client

    return login


def _call(client, name, slot_pk=None, host="testserver"):
    if name == "slots_bulk":
        return client.get(reverse(f"backoffice:{name}"), {"ids": [slot_pk]}, HTTP_HOST=host)
    url = reverse(f"backoffice:{name}", args=[slot_pk] if name in OBJECT_URLS else [])
    if name in POST_URLS:
        return client.post(url, HTTP_HOST=host)
    return client.get(url, {"q": ""} if name == "slots_list" else None, HTTP_HOST=host)


def _allowed_status(name):
    return 302 if name in POST_URLS else 200


class TestSlotUrls:
    """One pair of sites for every case: each case runs in a savepoint rolled back after it."""

    @pytest.fixture
    def world(self, slots_world, db):
        return slots_world

    @pytest.fixture
    def other_world(self, class_other_world, db):
        return class_other_world

    @pytest.mark.parametrize("name", URL_NAMES)
    @pytest.mark.parametrize("role", list(ROLES))
    def test_own_slots(self, sign_in, world, role, name):
        own = ROLES[role][0]
        client = sign_in(role)
        slot = getattr(world, own or "slot")
        response = _call(client, name, slot.pk)
        if role == "pupil":
            expected = 403
        elif name == "slots_list":
            expected = 200
        elif name == "slots_create":
            expected = 200 if role in MANAGERS else 403
        elif own is None:
            expected = 403 if name == "slots_bulk" else 404
        elif role in MANAGERS or (role in READERS and name in VIEW_URLS):
            expected = _allowed_status(name)
        else:
            expected = 403
        assert response.status_code == expected, (role, name, response.status_code)

    @pytest.mark.parametrize("name", sorted(OBJECT_URLS | {"slots_bulk"}))
    @pytest.mark.parametrize("role", list(ROLES))
    def test_other_scopes_slots(self, sign_in, world, other_world, role, name):
        other = ROLES[role][1]
        client = sign_in(role)
        slot = getattr(world, other) if other else other_world.slot
        before = Slot.objects.with_scopes_disabled().values().get(pk=slot.pk)
        response = _call(client, name, slot.pk)
        if role == "pupil" or name == "slots_bulk":
            assert response.status_code == 403
        else:
            assert response.status_code == 404, (role, name, response.status_code)
        assert Slot.objects.with_scopes_disabled().values().get(pk=slot.pk) == before

    @pytest.mark.parametrize("name", URL_NAMES)
    def test_anonymous_is_sent_to_sign_in(self, client, world, name):
        response = _call(client, name, world.slot.pk)
        assert response.status_code == 302
        assert "login" in response.url or "sign-in" in response.url

    @pytest.mark.parametrize("name", URL_NAMES)
    def test_another_sites_staff_is_refused_and_never_sees_this_sites_slots(self, client, world, other_world, name):
        # The other site's master referent, on this site: not staff here.
        client.force_login(other_world.master_referent)
        assert _call(client, name, world.slot.pk).status_code == 403
        # This site's master referent, on the other site: not staff there.
        client.force_login(world.master_referent)
        assert _call(client, name, other_world.slot.pk, host="beta.localhost").status_code == 403

    def test_the_list_shows_only_the_slots_in_scope(self, sign_in, world):
        client = sign_in("structure_referent")
        page = client.get(reverse("backoffice:slots_list"), {"q": ""}).content.decode()
        assert world.course.label in page
        assert world.other_course.label not in page and world.host_course.label not in page
        client = sign_in("speaker")
        page = client.get(reverse("backoffice:slots_list"), {"q": ""}).content.decode()
        assert f'href="{reverse("backoffice:slots_detail", args=[world.slot.pk])}"' in page
        assert f'href="{reverse("backoffice:slots_detail", args=[world.draft_slot.pk])}"' not in page
        assert reverse("backoffice:slots_edit", args=[world.slot.pk]) not in page  # no quick actions for readers


def test_host_high_school_referent_is_held_on_the_charter_before_signing(client, world):
    client.force_login(world.host_high_school_referent)
    response = client.get(reverse("backoffice:slots_detail", args=[world.bts_slot.pk]))
    assert response.status_code == 302 and response.url == reverse("staff:charter")
