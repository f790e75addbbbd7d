"""staff:invite: who may grant what, and what happens to the person."""

from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment
from tests.staff.conftest import invitation_token

URL = reverse("staff:invite")
User = get_user_model()


def data(role, method="local", email="ada@example.org", **scope):
    values = {"email": email, "first_name": "Ada", "last_name": "Lovelace", "role": role, "method": method}
    values.update({name: obj.pk for name, obj in scope.items()})
    return values


def assignments_of(email):
    return RoleAssignment.objects.with_scopes_disabled().filter(user__email=email)


ALLOWED = [
    ("master_referent", Role.MASTER_REFERENT, {}),
    ("master_referent", Role.ESTABLISHMENT_REFERENT, {"establishment": "host"}),
    ("master_referent", Role.STRUCTURE_REFERENT, {"structure": "host_structure"}),
    ("master_referent", Role.HIGH_SCHOOL_REFERENT, {"high_school": "high_school"}),
    ("master_referent", Role.SPEAKER, {"high_school": "host_high_school"}),
    ("master_referent", Role.LEGAL_DEPARTMENT, {"establishment": "master"}),
    ("operator", Role.STRUCTURE_CONSULTANT, {"structure": "structure"}),
    ("establishment_referent", Role.STRUCTURE_REFERENT, {"structure": "structure"}),
    ("establishment_referent", Role.STRUCTURE_CONSULTANT, {"structure": "other_structure"}),
    ("establishment_referent", Role.SPEAKER, {"establishment": "master"}),
    ("host_referent", Role.STRUCTURE_REFERENT, {"structure": "host_structure"}),
    ("host_referent", Role.SPEAKER, {"establishment": "host"}),
    ("host_high_school_referent", Role.SPEAKER, {"high_school": "host_high_school"}),
]

REFUSED = [
    ("establishment_referent", Role.STRUCTURE_REFERENT, {"structure": "host_structure"}),
    ("establishment_referent", Role.STRUCTURE_CONSULTANT, {"structure": "host_structure"}),
    ("establishment_referent", Role.SPEAKER, {"establishment": "host"}),
    ("establishment_referent", Role.SPEAKER, {"high_school": "host_high_school"}),
    ("establishment_referent", Role.MASTER_REFERENT, {}),
    ("establishment_referent", Role.ESTABLISHMENT_REFERENT, {"establishment": "master"}),
    ("establishment_referent", Role.HIGH_SCHOOL_REFERENT, {"high_school": "high_school"}),
    ("establishment_referent", Role.LEGAL_DEPARTMENT, {"establishment": "master"}),
    ("host_referent", Role.STRUCTURE_REFERENT, {"structure": "structure"}),
    ("host_referent", Role.SPEAKER, {"establishment": "master"}),
    ("host_high_school_referent", Role.SPEAKER, {"high_school": "high_school"}),
    ("host_high_school_referent", Role.SPEAKER, {"establishment": "master"}),
    ("host_high_school_referent", Role.STRUCTURE_REFERENT, {"structure": "structure"}),
    ("host_high_school_referent", Role.HIGH_SCHOOL_REFERENT, {"high_school": "host_high_school"}),
    # malformed, even for the master referent
    ("master_referent", Role.SPEAKER, {"high_school": "high_school"}),  # not a host high school
    ("master_referent", Role.STRUCTURE_REFERENT, {"establishment": "master"}),
    ("master_referent", Role.STRUCTURE_REFERENT, {"structure": "structure", "establishment": "master"}),
    ("master_referent", Role.PUPIL, {}),
    ("master_referent", "operator", {}),
]


def sign_for_host_high_school(w):
    from apps.staff.models import CharterSignature

    CharterSignature.objects.create(site=w.site, charter=w.charter, high_school=w.host_high_school)


@pytest.mark.parametrize(("who", "role", "scope"), ALLOWED)
def test_granting_roles_may_grant_within_their_scope(client, in_site, who, role, scope):
    w = in_site
    sign_for_host_high_school(w)
    client.force_login(getattr(w, who))
    response = client.post(URL, data(role, **{k: getattr(w, v) for k, v in scope.items()}))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("staff:people")
    (assignment,) = assignments_of("ada@example.org")
    assert assignment.role == role and assignment.site == w.site
    assert assignment.granted_by == getattr(w, who)
    for name, attr in scope.items():
        assert getattr(assignment, name) == getattr(w, attr)
    user = assignment.user
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert not user.has_usable_password() and not user.is_active
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    assert invitation_token() is not None


@pytest.mark.parametrize(("who", "role", "scope"), REFUSED)
def test_nobody_grants_outside_their_scope(client, in_site, who, role, scope):
    w = in_site
    sign_for_host_high_school(w)
    client.force_login(getattr(w, who))
    users = User.objects.count()
    response = client.post(URL, data(role, **{k: getattr(w, v) for k, v in scope.items()}))
    assert response.status_code == 400
    assert b"form-errors" in response.content
    assert User.objects.count() == users
    assert not assignments_of("ada@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["high_school_referent", "consultant", "speaker", "legal", "pupil", "visitor"])
def test_other_roles_may_not_invite(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, data(Role.SPEAKER, establishment=world.master)).status_code == 403
    assert not assignments_of("ada@example.org").exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_master_referent_of_another_site_may_not_invite_here(client, world, other_world):
    client.force_login(other_world.master_referent)
    assert client.get(URL).status_code == 403
    response = client.get(URL, HTTP_HOST="beta.localhost")
    assert response.status_code == 200


def test_forged_scope_from_another_site_is_a_form_error(client, world, other_world):
    client.force_login(world.master_referent)
    form = client.get(URL).context["form"]
    assert other_world.structure not in set(form.fields["structure"].queryset)
    for role, field, target in (
        (Role.STRUCTURE_REFERENT, "structure", other_world.structure),
        (Role.ESTABLISHMENT_REFERENT, "establishment", other_world.host),
        (Role.HIGH_SCHOOL_REFERENT, "high_school", other_world.high_school),
    ):
        response = client.post(URL, data(role, **{field: target}))
        assert response.status_code == 400
        assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.filter(email="ada@example.org").exists()
    assert mail.outbox == []


def test_the_form_offers_only_what_one_may_grant(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    form = client.get(URL).context["form"]
    assert [value for value, _label in form.fields["role"].choices][1:] == [
        Role.STRUCTURE_REFERENT,
        Role.STRUCTURE_CONSULTANT,
        Role.SPEAKER,
    ]
    assert set(form.fields["structure"].queryset) == {w.structure, w.other_structure}
    assert list(form.fields["establishment"].queryset) == [w.master]
    assert "high_school" not in form.fields

    sign_for_host_high_school(w)
    client.force_login(w.host_high_school_referent)
    form = client.get(URL).context["form"]
    assert [value for value, _label in form.fields["role"].choices][1:] == [Role.SPEAKER]
    assert list(form.fields["high_school"].queryset) == [w.host_high_school]
    assert "structure" not in form.fields and "establishment" not in form.fields


def test_inviting_an_existing_email_grants_the_role_without_a_new_user(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    users = User.objects.count()
    email = w.consultant.email.upper()
    response = client.post(URL, data(Role.SPEAKER, email=email, establishment=w.master))
    assert response.status_code == 302
    assert User.objects.count() == users
    assert RoleAssignment.objects.filter(user=w.consultant, role=Role.SPEAKER, establishment=w.master).exists()
    w.consultant.refresh_from_db()
    assert w.consultant.check_password("a-long-test-password")
    assert w.consultant.first_name != "Ada"
    assert invitation_token() is None
    assert mail.outbox[0].to == [w.consultant.email]


def test_a_role_already_held_is_a_form_error(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    response = client.post(URL, data(Role.STRUCTURE_CONSULTANT, email=w.consultant.email, structure=w.structure))
    assert response.status_code == 400
    assert RoleAssignment.objects.filter(user=w.consultant, role=Role.STRUCTURE_CONSULTANT).count() == 1
    assert mail.outbox == []


def test_federated_invitation_precreates_an_active_account(client, in_site):
    w = in_site
    client.force_login(w.host_referent)
    response = client.post(URL, data(Role.SPEAKER, method="federated", establishment=w.host))
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.is_active and not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.SPEAKER, establishment=w.host).exists()
    assert invitation_token() is None
    assert "ada@example.org" in mail.outbox[0].body


def test_grant_another_role_prefills_a_person_in_scope_only(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    response = client.get(URL, {"person": w.consultant.pk})
    assert response.status_code == 200
    assert response.context["form"]["email"].value() == w.consultant.email
    assert client.get(URL, {"person": w.host_referent.pk}).status_code == 404
    assert client.get(URL, {"person": "x"}).status_code == 404


def test_a_mail_failure_keeps_the_role_and_says_so(client, in_site, monkeypatch):
    w = in_site

    def broken(*args, **kwargs):
        raise SMTPException("down")

    monkeypatch.setattr("apps.staff.services.send_message", broken)
    client.force_login(w.master_referent)
    response = client.post(URL, data(Role.SPEAKER, establishment=w.master), follow=True)
    assert assignments_of("ada@example.org").exists()
    assert "could not be sent" in response.content.decode()


def test_bad_input_is_a_form_error(client, world):
    client.force_login(world.master_referent)
    response = client.post(URL, {"email": "not-an-email", "role": "speaker", "method": "carrier-pigeon"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-describedby="id_email_error"' in body or 'id="id_email_error"' in body
    assert not User.objects.filter(first_name="Ada").exists()


def test_a_structure_referent_may_invite_speakers_of_its_establishment_only(client, world):
    client.force_login(world.structure_referent)
    assert client.post(URL, data(Role.STRUCTURE_CONSULTANT, structure=world.structure)).status_code in (200, 400)
    assert not assignments_of("ada@example.org").exists()
    assert client.post(URL, data(Role.SPEAKER, establishment=world.host)).status_code in (200, 400)
    assert not assignments_of("ada@example.org").exists()
    response = client.post(URL, data(Role.SPEAKER, establishment=world.master))
    assert response.status_code == 302
    assert [(a.role, a.establishment_id) for a in assignments_of("ada@example.org")] == [
        (Role.SPEAKER, world.master.pk)
    ]
