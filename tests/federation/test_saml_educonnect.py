"""EduConnect: pupils created on first sign-in, found again by persistent id, identity locked."""

import datetime as dt

import pytest
from django.core import mail

from apps.accounts.models import Role, RoleAssignment, User
from apps.directories.models import SchoolDirectoryEntry
from apps.federation.models import FederatedIdentity
from apps.records.models import PupilRecord
from apps.referentials.models import HighSchoolLevel
from apps.tenancy.scoping import for_site

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")


def pupil(**overrides):
    identity = {
        "FrEduCtId": ["ec-123456"],
        "givenName": ["Zoé"],
        "sn": ["Martin"],
        "FrEduCtDateNaissance": ["2009-03-14"],
        "FrEduCtPersonAffiliation": ["eleve2d"],
        "FrEduCtEleveUAI": ["0670001A"],
        "FrEduCtEleveNiveau": ["2212"],
        "mail": ["zoe.martin@example.org"],
    }
    identity.update(overrides)
    return {key: value for key, value in identity.items() if value is not None}


@pytest.fixture
def levels(world):
    with for_site(world.site):
        return {
            "premiere": HighSchoolLevel.objects.create(site=world.site, label="Première", mefstat4_codes="2212,2371"),
            "seconde": HighSchoolLevel.objects.create(site=world.site, label="Seconde", mefstat4_codes="2211"),
        }


def record_of(world, user):
    with for_site(world.site):
        return PupilRecord.objects.select_related("high_school", "level", "school_entry").get(user=user)


def test_first_sign_in_creates_pupil_with_school_level_and_locked_identity(educonnect, client, world, levels):
    response = educonnect.sign_in("educonnect", pupil())
    assert response.status_code == 302
    user = User.objects.get(email="zoe.martin@example.org")
    assert (user.first_name, user.last_name) == ("Zoé", "Martin")
    assert user.email_confirmed_at is not None
    record = record_of(world, user)
    assert record.high_school == world.high_school and record.school_entry is None
    assert record.level == levels["premiere"]
    assert record.birth_date == dt.date(2009, 3, 14)
    assert record.identity_locked
    with for_site(world.site):
        assert RoleAssignment.objects.filter(user=user, role=Role.PUPIL).exists()
    assert client.session["auth_method"] == "educonnect"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_school_outside_the_partners_comes_from_the_uai_directory(educonnect, world, levels):
    entry = SchoolDirectoryEntry.objects.create(uai="0679999X", label="Lycée lointain", city="Colmar")
    educonnect.sign_in("educonnect", pupil(FrEduCtEleveUAI=["0679999X"], FrEduCtEleveNiveau=["9999"]))
    record = record_of(world, User.objects.get(first_name="Zoé"))
    assert record.high_school is None and record.school_entry == entry and record.level is None


def test_returning_pupil_is_matched_by_persistent_id_not_duplicated(educonnect, client, world, levels):
    educonnect.sign_in("educonnect", pupil())
    client.logout()
    response = educonnect.sign_in("educonnect", pupil(mail=["other@example.org"], sn=["Martin-Durand"]))
    assert response.status_code == 302
    assert User.objects.filter(first_name="Zoé").count() == 1
    user = User.objects.get(first_name="Zoé")
    assert user.last_name == "Martin-Durand"  # identity follows EduConnect
    assert user.email == "zoe.martin@example.org"
    with for_site(world.site):
        assert PupilRecord.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "persistent_id",
    ["quote\"and'apostrophe", "unicodé-ñ-漢字-🙂", "<tag>&amp;", "x" * 1000],
)
def test_odd_persistent_ids(educonnect, client, world, levels, persistent_id):
    educonnect.sign_in("educonnect", pupil(FrEduCtId=[persistent_id]))
    user = User.objects.get(first_name="Zoé")
    assert FederatedIdentity.objects.get(user=user).subject == persistent_id
    client.logout()
    educonnect.sign_in("educonnect", pupil(FrEduCtId=[persistent_id]))
    assert User.objects.filter(first_name="Zoé").count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


def test_too_long_persistent_id_is_refused(educonnect, world):
    response = educonnect.sign_in("educonnect", pupil(FrEduCtId=["y" * 5000]))
    assert response.status_code == 403
    assert not User.objects.filter(first_name="Zoé").exists()


def test_missing_attributes_refused(educonnect, world):
    for missing in ({"FrEduCtId": None}, {"sn": None}, {"FrEduCtDateNaissance": ["not a date"]}):
        response = educonnect.sign_in("educonnect", pupil(**missing))
        assert response.status_code == 403 and response.context["reason"] == "missing_attributes"
    assert not User.objects.filter(first_name="Zoé").exists()


def test_window_closed_refuses_first_sign_in_only(educonnect, client, world, levels):
    educonnect.sign_in("educonnect", pupil())
    client.logout()
    world.year.is_active = False
    with for_site(world.site):
        world.year.save()
    assert educonnect.sign_in("educonnect", pupil()).status_code == 302  # returning pupil
    client.logout()
    response = educonnect.sign_in("educonnect", pupil(FrEduCtId=["newcomer"], givenName=["Léa"]))
    assert response.status_code == 403 and response.context["reason"] == "window_closed"
    assert not User.objects.filter(first_name="Léa").exists()


def test_pupil_without_email_must_give_and_confirm_one(educonnect, client, world, levels):
    response = educonnect.sign_in("educonnect", pupil(mail=None))
    assert response.status_code == 302 and response["Location"] == "/sign-in/email/"
    user = User.objects.get(first_name="Zoé")
    assert user.email.endswith("@educonnect.invalid") and user.email_confirmed_at is None

    # Every page leads to the e-mail form, except the e-mail pages, logout and static files.
    for path in ("/", "/record/", "/sign-in/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/sign-in/email/", path
    assert client.get("/sign-in/email/").status_code == 200

    response = client.post("/sign-in/email/", {"email": "not-an-address"})
    assert response.status_code == 200 and b'aria-invalid="true"' in response.content
    response = client.post("/sign-in/email/", {"email": "Zoe@Example.org"})
    assert response.status_code == 200 and b"zoe@example.org" in response.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zoe@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/sign-in/email/confirm/" in line)
    path = link[link.index("/sign-in/") :]

    opened = client.get(path)  # the link's token goes to the session: the form's page has none
    assert opened.status_code == 302 and opened["Location"] == "/sign-in/email/confirm/"
    assert client.get("/sign-in/email/confirm/").status_code == 200
    assert client.post(path).status_code == 405  # the token's address only opens the page
    response = client.post("/sign-in/email/confirm/")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "zoe@example.org" and user.email_confirmed_at is not None
    assert client.get("/sign-in/").status_code == 200  # the gate is lifted
    assert client.post("/sign-in/email/confirm/").status_code == 400  # single use
    assert client.get(path).status_code == 400


def test_email_already_used_is_not_disclosed(educonnect, client, world, levels):
    educonnect.sign_in("educonnect", pupil(mail=None))
    response = client.post("/sign-in/email/", {"email": world.visitor.email})
    assert response.status_code == 200 and b"Check your mailbox" in response.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.visitor.email]
    assert "/sign-in/email/confirm/" not in mail.outbox[0].body
    assert User.objects.get(first_name="Zoé").email.endswith("@educonnect.invalid")


def test_email_given_by_educonnect_already_used_falls_back_to_placeholder(educonnect, client, world, levels):
    response = educonnect.sign_in("educonnect", pupil(mail=[world.visitor.email]))
    assert response["Location"] == "/sign-in/email/"
    assert User.objects.get(first_name="Zoé").email.endswith("@educonnect.invalid")


def test_bad_confirmation_link(client, world):
    assert client.get("/sign-in/email/confirm/nope/").status_code == 400
    assert client.post("/sign-in/email/confirm/").status_code == 400  # no link opened in this browser
    assert client.get("/sign-in/email/confirm/").status_code == 400


def test_email_form_needs_a_signed_in_placeholder_account(client, world):
    assert client.get("/sign-in/email/").status_code == 302  # anonymous: to sign-in
    client.force_login(world.pupil)
    response = client.get("/sign-in/email/")
    assert response.status_code == 302 and "email" not in response["Location"]
