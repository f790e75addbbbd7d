"""RENATER (Shibboleth): students created after confirmation, staff must pre-exist."""

import pytest
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.directories.models import HigherEducationInstitution
from apps.federation.models import FederatedIdentity, Provider
from apps.records.models import StudentRecord
from apps.tenancy.scoping import for_site

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")


def student(**overrides):
    identity = {
        "mail": ["alice@etu.example.fr"],
        "eduPersonPrincipalName": ["alice@univ-example.fr"],
        "givenName": ["Alice"],
        "sn": ["Liddell"],
        "eduPersonAffiliation": ["student", "member"],
        "supannEtablissement": ["{UAI}0673021V"],
    }
    identity.update(overrides)
    return {key: value for key, value in identity.items() if value is not None}


@pytest.fixture
def unistra(db):
    return HigherEducationInstitution.objects.create(uai="0673021V", label="Université de Strasbourg")


def test_student_first_sign_in_confirms_then_creates_account_with_institution(renater, client, world, unistra):
    response = renater.sign_in("shibboleth", student())
    assert response.status_code == 302 and response["Location"] == "/sign-in/student/"
    assert not User.objects.filter(email="alice@etu.example.fr").exists()  # nothing before confirmation

    page = client.get("/sign-in/student/")
    assert page.status_code == 200
    assert b"Alice" in page.content and "Université de Strasbourg".encode() in page.content

    response = client.post("/sign-in/student/", {"create": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:after_sign_in")
    user = User.objects.get(email="alice@etu.example.fr")
    assert (user.first_name, user.last_name) == ("Alice", "Liddell")
    assert user.email_confirmed_at is not None and not user.has_usable_password()
    with for_site(world.site):
        record = StudentRecord.objects.get(user=user)
        assert record.institution == unistra
        assert RoleAssignment.objects.filter(user=user, role=Role.STUDENT).exists()
    assert client.session["auth_method"] == "shibboleth"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert FederatedIdentity.objects.filter(user=user, provider=Provider.SHIBBOLETH, subject="alice@univ-example.fr")


def test_returning_student_signs_in_directly(renater, client, world, unistra):
    renater.sign_in("shibboleth", student())
    client.post("/sign-in/student/", {"create": "1"})
    client.logout()
    response = renater.sign_in("shibboleth", student(mail=["alice.new@etu.example.fr"]))
    assert response.status_code == 302 and "student" not in response["Location"]
    assert User.objects.filter(first_name="Alice").count() == 1
    assert client.session["auth_method"] == "shibboleth"


def test_cancelled_confirmation_creates_nothing(renater, client, world, unistra):
    renater.sign_in("shibboleth", student())
    response = client.post("/sign-in/student/", {"cancel": "1"})
    assert response.status_code == 302
    assert not User.objects.filter(email="alice@etu.example.fr").exists()
    assert client.get("/sign-in/student/").status_code == 400


def test_confirmation_page_without_pending_sign_in_is_refused(client, world):
    response = client.get("/sign-in/student/")
    assert response.status_code == 400
    assert response.context["reason"] == "expired"


def test_unknown_institution_leaves_it_empty(renater, client, world):
    renater.sign_in("shibboleth", student(supannEtablissement=["{UAI}0999999Z"]))
    client.post("/sign-in/student/", {"create": "1"})
    with for_site(world.site):
        assert StudentRecord.objects.get(user__email="alice@etu.example.fr").institution is None


def test_known_staff_signs_in_by_email(renater, client, world):
    identity = student(
        mail=[world.speaker.email.upper()], eduPersonAffiliation=["faculty", "member"], eduPersonPrincipalName=["sp@x"]
    )
    response = renater.sign_in("shibboleth", identity)
    assert response.status_code == 302 and "student" not in response["Location"]
    assert int(client.session["_auth_user_id"]) == world.speaker.pk
    assert client.session["auth_method"] == "shibboleth"


def test_unknown_staff_is_refused_and_not_created(renater, client, world):
    identity = student(mail=["prof@univ-example.fr"], eduPersonAffiliation=["staff"], eduPersonPrincipalName=["prof@u"])
    response = renater.sign_in("shibboleth", identity)
    assert response.status_code == 403
    assert response.context["reason"] == "no_account"
    assert b"invitation" in response.content
    assert not User.objects.filter(email="prof@univ-example.fr").exists()
    assert "_auth_user_id" not in client.session


def test_affiliate_neither_student_nor_staff_is_refused(renater, world):
    response = renater.sign_in("shibboleth", student(eduPersonAffiliation=["affiliate"]))
    assert response.status_code == 403 and response.context["reason"] == "not_allowed"


def test_first_sign_in_refused_when_window_closed(renater, client, world, unistra):
    world.year.is_active = False
    with for_site(world.site):
        world.year.save()
    response = renater.sign_in("shibboleth", student())
    assert response.status_code == 403 and response.context["reason"] == "window_closed"
    assert not User.objects.filter(email="alice@etu.example.fr").exists()


def test_missing_attributes_refused(renater, world):
    response = renater.sign_in("shibboleth", student(mail=None, givenName=None))
    assert response.status_code == 403 and response.context["reason"] == "missing_attributes"
    assert not User.objects.filter(first_name="Alice").exists()


def test_disabled_renater_hides_its_urls(client, world, saml_settings):
    assert client.get("/sign-in/saml/shibboleth/").status_code == 404
    assert client.get("/sign-in/saml/metadata/").status_code == 404
    assert client.post("/sign-in/saml/acs/", {"SAMLResponse": "x"}).status_code == 404
