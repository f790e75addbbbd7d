"""Download everything the platform holds about me, and nothing about anyone else."""

import json

from django.urls import reverse

from apps.accounts.models import AccountToken, Role
from apps.accounts.tokens import issue_token
from apps.registrations.models import Registration
from apps.tenancy.scoping import for_site, platform_job
from tests.duplicates.helpers import document
from tests.factories import grant

EXPORT = reverse("privacy:export")


def download(client, user, **extra):
    client.force_login(user)
    response = client.get(EXPORT, **extra)
    assert response.status_code == 200
    return response, json.loads(response.content.decode("utf-8"))


def test_the_export_is_a_private_json_attachment(client, world):
    response, data = download(client, world.pupil)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]
    assert data["format"] == "immersup-personal-data/1"


def test_the_export_holds_my_registrations_records_roles_and_documents(client, world):
    w = world
    attestation = document(w.site, w.pupil)
    issue_token(w.pupil, AccountToken.Purpose.PASSWORD_RESET, site=w.site)
    w.pupil.first_name = "Éloïse"
    w.pupil.save()

    _response, data = download(client, w.pupil)

    assert data["account"]["email"] == w.pupil.email and data["account"]["first_name"] == "Éloïse"
    mine = data["sites"][w.site.name]["data"]
    assert [r["id"] for r in mine["registrations.registration"]] == [w.registration.pk]
    registration = mine["registrations.registration"][0]
    assert registration["slot"]["id"] == w.slot.pk and registration["status"] == "active"
    assert registration["person"] == w.pupil.pk
    record = mine["records.pupilrecord"][0]
    assert record["id"] == w.pupil_record.pk and record["birth_date"] == w.pupil_record.birth_date.isoformat()
    assert record["high_school"]["label"] == str(w.high_school)
    assert [r["role"] for r in mine["accounts.roleassignment"]] == [Role.PUPIL]
    documents = mine["attestations.attestation"]
    assert [d["id"] for d in documents] == [attestation.pk]
    assert documents[0]["original_name"] == "scan.pdf"
    assert "/" not in documents[0]["file"]  # a name, never a storage path
    assert [t["purpose"] for t in data["account_tokens"]] == ["password_reset"]
    assert set(data["account_tokens"][0]) == {
        "purpose",
        "purpose_display",
        "site",
        "created_at",
        "expires_at",
        "used_at",
    }


def test_secrets_are_never_exported(client, world):
    issue_token(world.pupil, AccountToken.Purpose.EMAIL_CHANGE, site=world.site, payload={"email": "x@example.org"})
    response, data = download(client, world.pupil)
    body = response.content.decode("utf-8")
    assert "password" not in data["account"]
    world.pupil.refresh_from_db()
    assert world.pupil.password not in body and "argon2" not in body
    with platform_job():
        digest = AccountToken.objects.get(user=world.pupil).digest
    assert digest not in body and "digest" not in body


def test_nobody_elses_data_leaks(client, world):
    w = world
    with platform_job():
        neighbour = Registration.objects.create(site=w.site, slot=w.slot, person=w.other_pupil)
    response, data = download(client, w.pupil)
    body = response.content.decode("utf-8")
    mine = data["sites"][w.site.name]["data"]
    assert neighbour.pk not in [r["id"] for r in mine["registrations.registration"]]
    for text in (w.other_pupil.email, w.other_pupil.last_name, w.master_referent.email):
        assert text not in body


def test_what_i_did_to_others_is_a_reference_only(client, world):
    w = world
    with platform_job():
        w.other_pupil_record.validated_by = w.high_school_referent
        w.other_pupil_record.phone = "0611223344"
        w.other_pupil_record.save()
    response, data = download(client, w.high_school_referent)
    body = response.content.decode("utf-8")
    assert "0611223344" not in body and w.other_pupil.email not in body
    mentions = data["sites"][w.site.name]["mentions"]
    assert {"model": "records.pupilrecord", "id": w.other_pupil_record.pk, "as": "validated_by"} in mentions


def test_a_speaker_sees_the_slots_they_give(client, world):
    _response, data = download(client, world.speaker)
    mentions = data["sites"][world.site.name]["mentions"]
    assert any(m["model"] == "catalogue.slot" and m["id"] == world.slot.pk for m in mentions)


def test_data_on_every_site_is_grouped_by_site_name(client, world, other_world):
    w, o = world, other_world
    with for_site(o.site):
        grant(w.pupil, o.site, Role.VISITOR)
        elsewhere = Registration.objects.create(site=o.site, slot=o.slot, person=w.pupil)
    # Downloaded from either site, the export is the same person's whole data.
    _response, data = download(client, w.pupil, HTTP_HOST="beta.localhost")
    assert set(data["sites"]) == {w.site.name, o.site.name}
    theirs = data["sites"][o.site.name]["data"]
    assert [r["id"] for r in theirs["registrations.registration"]] == [elsewhere.pk]
    assert [r["role"] for r in theirs["accounts.roleassignment"]] == [Role.VISITOR]
    assert "records.pupilrecord" not in theirs
