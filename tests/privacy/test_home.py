"""My data: what the signed-in person sees of themselves, and their consents."""

import pytest
from django.urls import reverse

from apps.records.models import PupilRecord, RecordStatus
from apps.tenancy.scoping import platform_job

HOME = reverse("privacy:home")
CONSENTS = reverse("privacy:consents")


def consents_of(record):
    with platform_job():
        record = PupilRecord.objects.get(pk=record.pk)
    return record.consent_high_school_sees_immersions, record.consent_name_visible_to_registrants, record.status


def test_a_pupil_sees_identity_roles_record_and_consents(client, world):
    client.force_login(world.pupil)
    response = client.get(HOME)
    assert response.status_code == 200
    content = response.content.decode()
    for text in (world.pupil.first_name, world.pupil.last_name, world.pupil.email, "Français", "Lycéen·ne"):
        assert text in content, text
    assert reverse("records:edit") in content and reverse("attestations:mine") in content
    assert reverse("privacy:export") in content and reverse("privacy:delete") in content
    assert f'action="{CONSENTS}"' in content
    assert content.count("<h1") == 1


@pytest.mark.parametrize("who", ["speaker", "master_referent", "student", "visitor", "operator"])
def test_everyone_signed_in_has_the_page_without_consents_when_not_a_pupil(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(HOME)
    assert response.status_code == 200
    assert getattr(world, who).email in response.content.decode()
    assert response.context["consent_form"] is None


def test_the_page_shows_only_this_sites_roles(client, world, other_world):
    client.force_login(other_world.speaker)
    response = client.get(HOME)
    assert response.context["data"].roles == [] and response.context["data"].records == []


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for url in (HOME, reverse("privacy:export"), reverse("privacy:delete")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("federation:sign_in"))
    response = client.post(CONSENTS, {"high_school_sees_immersions": "on"})
    assert response.status_code == 302
    assert consents_of(world.pupil_record)[:2] == (False, False)


def test_changing_consents_keeps_the_record_status(client, world):
    client.force_login(world.pupil)

    response = client.post(CONSENTS, {"high_school_sees_immersions": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == HOME
    assert consents_of(world.pupil_record) == (True, False, RecordStatus.VALIDATED)
    client.post(CONSENTS, {"name_visible_to_registrants": "on"})
    assert consents_of(world.pupil_record) == (False, True, RecordStatus.VALIDATED)
    form = client.get(HOME).context["consent_form"]
    assert form.initial == {"high_school_sees_immersions": False, "name_visible_to_registrants": True}


def test_a_pending_record_stays_pending(client, world):
    client.force_login(world.other_pupil)
    client.post(CONSENTS, {"high_school_sees_immersions": "on", "name_visible_to_registrants": "on"})
    assert consents_of(world.other_pupil_record) == (True, True, RecordStatus.TO_VALIDATE)


def test_consents_of_someone_without_pupil_record_change_nothing(client, world):
    client.force_login(world.visitor)
    response = client.post(CONSENTS, {"high_school_sees_immersions": "on"}, follow=True)
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert consents_of(world.pupil_record)[:2] == (False, False)


def test_consents_only_change_on_my_own_site(client, world, other_world):
    client.force_login(world.pupil)
    client.post(CONSENTS, {"high_school_sees_immersions": "on"}, HTTP_HOST="beta.localhost")
    assert consents_of(world.pupil_record)[:2] == (False, False)
    assert consents_of(other_world.pupil_record)[:2] == (False, False)


def test_consents_need_a_post(client, world):
    client.force_login(world.pupil)
    assert client.get(CONSENTS).status_code == 405
