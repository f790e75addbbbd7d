"""The charter gate of the back office, and who signs for whom."""

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.staff.models import CharterSignature
from tests.factories import grant, make_user

HOME = reverse("staff:home")
CHARTER = reverse("staff:charter")


@pytest.fixture
def host_structure_referent(in_site):
    user = make_user()
    grant(user, in_site.site, Role.STRUCTURE_REFERENT, structure=in_site.host_structure)
    return user


def test_staff_of_a_signed_host_establishment_get_in(client, in_site, host_structure_referent):
    client.force_login(host_structure_referent)
    assert client.get(HOME).status_code == 200


def test_staff_of_an_unsigned_host_establishment_are_sent_to_the_charter(client, in_site, host_structure_referent):
    in_site.charter_signature.delete()
    client.force_login(host_structure_referent)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == CHARTER
    for url in (reverse("staff:people"), reverse("staff:invite")):
        assert client.get(url)["Location"] == CHARTER
    page = client.get(CHARTER)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-party="establishment-{in_site.host.pk}" data-state="waiting"' in body
    assert "its referent must sign" in body
    assert 'data-state="to-sign"' not in body


def test_staff_of_the_master_establishment_need_no_signature(client, in_site):
    CharterSignature.objects.all().delete()
    for user in (in_site.structure_referent, in_site.speaker, in_site.establishment_referent, in_site.master_referent):
        client.force_login(user)
        assert client.get(HOME).status_code == 200
    assert b'id="charter-exempt"' in client.get(CHARTER).content


def test_the_host_referent_signs_once_and_their_staff_get_in(client, in_site, host_structure_referent):
    w = in_site
    w.charter_signature.delete()
    client.force_login(w.host_referent)
    assert client.get(HOME)["Location"] == CHARTER
    assert 'data-state="to-sign"' in client.get(CHARTER).content.decode()
    for _twice in range(2):
        response = client.post(CHARTER, {"party": f"establishment-{w.host.pk}"})
        assert response.status_code == 302
    (signature,) = CharterSignature.objects.filter(charter=w.charter)
    assert signature.establishment == w.host and signature.signed_by == w.host_referent
    assert client.get(HOME).status_code == 200
    client.force_login(host_structure_referent)
    assert client.get(HOME).status_code == 200


def test_the_host_high_school_referent_signs_for_their_high_school(client, in_site):
    w = in_site
    speaker = make_user()
    grant(speaker, w.site, Role.SPEAKER, high_school=w.host_high_school)
    client.force_login(speaker)
    assert client.get(HOME)["Location"] == CHARTER
    assert client.post(CHARTER, {"party": f"high_school-{w.host_high_school.pk}"}).status_code == 403
    client.force_login(w.host_high_school_referent)
    assert client.get(HOME)["Location"] == CHARTER
    client.post(CHARTER, {"party": f"high_school-{w.host_high_school.pk}"})
    assert CharterSignature.objects.filter(high_school=w.host_high_school, signed_by=w.host_high_school_referent)
    client.force_login(speaker)
    assert client.get(HOME).status_code == 200


def test_a_plain_high_school_referent_has_nothing_to_sign(client, in_site):
    client.force_login(in_site.high_school_referent)
    assert client.get(HOME).status_code == 200
    response = client.post(CHARTER, {"party": f"high_school-{in_site.high_school.pk}"})
    assert response.status_code == 403
    assert not CharterSignature.objects.filter(high_school=in_site.high_school).exists()


def test_a_structure_referent_cannot_sign_for_their_establishment(client, in_site, host_structure_referent):
    in_site.charter_signature.delete()
    client.force_login(host_structure_referent)
    response = client.post(CHARTER, {"party": f"establishment-{in_site.host.pk}"})
    assert response.status_code == 403
    assert not CharterSignature.objects.exists()


def test_a_master_referent_need_not_and_may_not_sign_for_a_host(client, in_site):
    in_site.charter_signature.delete()
    client.force_login(in_site.master_referent)
    assert client.get(HOME).status_code == 200
    assert client.post(CHARTER, {"party": f"establishment-{in_site.host.pk}"}).status_code == 403
    assert client.post(CHARTER, {"party": f"establishment-{in_site.master.pk}"}).status_code == 403
    assert not CharterSignature.objects.exists()


def test_forged_parties(client, in_site, other_world):
    w = in_site
    w.charter_signature.delete()
    client.force_login(w.host_referent)
    assert client.post(CHARTER, {"party": f"establishment-{other_world.host.pk}"}).status_code == 404
    assert client.post(CHARTER, {"party": f"high_school-{other_world.host_high_school.pk}"}).status_code == 404
    for junk in ("", "establishment-", "establishment-x", "site-1", "high_school-1e3"):
        response = client.post(CHARTER, {"party": junk}, follow=True)
        assert response.status_code == 200
        assert "Choose what you sign for" in response.content.decode()
    assert not CharterSignature.objects.exists()


def test_who_may_see_the_charter_page(client, world, other_world):
    assert client.get(CHARTER).status_code == 302
    for user in (world.pupil, world.visitor, other_world.host_referent):
        client.force_login(user)
        assert client.get(CHARTER).status_code == 403
        assert client.post(CHARTER, {"party": f"establishment-{world.host.pk}"}).status_code == 403


def test_without_a_published_charter_nothing_is_to_sign(client, in_site, host_structure_referent):
    in_site.charter.published_at = None
    in_site.charter.save()
    client.force_login(host_structure_referent)
    assert client.get(HOME).status_code == 200
    assert b'id="no-charter"' in client.get(CHARTER).content
    client.force_login(in_site.host_referent)
    client.post(CHARTER, {"party": f"establishment-{in_site.host.pk}"}, follow=True)
    assert CharterSignature.objects.count() == 1
