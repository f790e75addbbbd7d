"""Every registrants URL, as every role, on its own slot, another slot and another site's slot."""

import pytest
from django.urls import reverse

from apps.registrations.models import Registration, Status
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site

URL_NAMES = [
    "registrants_slot",
    "registrants_attendance",
    "registrants_all_present",
    "registrants_cancel",
    "registrants_register",
    "registrants_attendance_pdf",
]
POST_URLS = {"registrants_attendance", "registrants_all_present", "registrants_cancel"}
READ_URLS = {"registrants_slot", "registrants_attendance_pdf"}
ATTENDANCE_URLS = {"registrants_attendance", "registrants_all_present"}

#: role -> (its own slot, another scope's slot) as world attribute names (None: none).
ROLES = {
    "operator": ("slot", None),
    "master_referent": ("slot", None),
    "establishment_referent": ("slot", "host_slot"),
    "host_referent": ("host_slot", "slot"),
    "structure_referent": ("slot", "other_slot"),
    "host_high_school_referent": ("bts_slot", "slot"),
    "consultant": ("slot", "other_slot"),
    "speaker": ("slot", "other_slot"),
    "high_school_referent": (None, "slot"),
    "legal": (None, "slot"),
}
MANAGERS = {
    "operator",
    "master_referent",
    "establishment_referent",
    "host_referent",
    "structure_referent",
    "host_high_school_referent",
}


@pytest.fixture
def sign_in(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with for_site(world.site):
        CharterSignature.objects.create(
            site=world.site,
            charter=world.charter,
            high_school=world.host_high_school,
            signed_by=world.host_high_school_referent,
        )

    def login(role):
        if role != "anonymous":
            client.force_login(getattr(world, role))
        return client

    return login


def _call(client, name, slot_pk, host="testserver"):
    url = reverse(f"backoffice:{name}", args=[slot_pk])
    if name in POST_URLS:
        return client.post(url, HTTP_HOST=host)
    return client.get(url, HTTP_HOST=host)


def _expected_on_own_slot(role, name):
    if role in MANAGERS or name in READ_URLS:
        return 302 if name in POST_URLS else 200
    if role == "speaker" and name in ATTENDANCE_URLS:
        return 302
    return 403


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_on_its_own_and_on_other_slots(sign_in, world, role, name):
    own, other = ROLES[role]
    client = sign_in(role)
    if own:
        response = _call(client, name, getattr(world, own).pk)
        assert response.status_code == _expected_on_own_slot(role, name), response.content[:300]
        if name == "registrants_attendance_pdf":
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
            assert response["Content-Disposition"].startswith("attachment;")
    if other:
        assert _call(client, name, getattr(world, other).pk).status_code == 404


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_people_are_sent_to_sign_in_and_registrants_refused(sign_in, world, name):
    client = sign_in("anonymous")
    assert _call(client, name, world.slot.pk).status_code == 302
    client = sign_in("pupil")
    assert _call(client, name, world.slot.pk).status_code == 403


@pytest.mark.parametrize("name", URL_NAMES)
def test_another_sites_slot_is_not_found(sign_in, world, other_world, name):
    client = sign_in("master_referent")
    assert _call(client, name, other_world.slot.pk).status_code == 404


def test_refused_posts_change_nothing(sign_in, world):
    client = sign_in("consultant")
    url = reverse("backoffice:registrants_cancel", args=[world.slot.pk])
    assert client.post(url, {"ids": [world.registration.pk]}).status_code == 403
    client = sign_in("speaker")
    assert client.post(url, {"ids": [world.registration.pk]}).status_code == 403
    with for_site(world.site):
        assert Registration.objects.get(pk=world.registration.pk).status == Status.ACTIVE
