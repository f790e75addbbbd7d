"""People in the admin: only those of the current site, and no way up to operator."""

import pytest
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.tenancy.scoping import for_site, platform_job
from tests.factories import grant, make_user

from .helpers import admin_url, form_data, with_values

pytestmark = pytest.mark.django_db

USERS = admin_url(User)


def password_url(pk):
    return reverse("admin:auth_user_password_change", args=[pk])


def listed(client, **params):
    response = client.get(USERS, params)
    assert response.status_code == 200
    return set(response.context["cl"].queryset)


def roles_formset_count(data):
    return int(data["role_assignments-TOTAL_FORMS"][0])


def test_master_referent_lists_the_people_of_the_site_only(master_client, alpha, beta):
    people = listed(master_client)
    assert {alpha.pupil, alpha.speaker, alpha.master_referent, alpha.structure_referent} <= people
    assert not people & {beta.pupil, beta.speaker, beta.master_referent}
    assert alpha.operator not in people and beta.operator not in people


def test_operator_also_lists_the_operators(operator_client, alpha, beta):
    people = listed(operator_client)
    assert {alpha.pupil, alpha.operator, beta.operator} <= people
    assert beta.pupil not in people and beta.master_referent not in people


def test_role_filter_is_about_this_site(master_client, alpha, beta):
    with platform_job():
        grant(alpha.visitor, beta.site, Role.PUPIL)  # a pupil on beta, a visitor here
    pupils = listed(master_client, role=Role.PUPIL)
    assert alpha.pupil in pupils
    assert alpha.visitor not in pupils


def test_another_sites_person_is_not_found(master_client, alpha, beta):
    assert master_client.get(admin_url(User, "change", beta.pupil.pk)).status_code == 302
    assert master_client.get(password_url(beta.pupil.pk)).status_code == 404


def test_master_referent_cannot_make_an_operator_or_a_superuser(master_client, alpha):
    url = admin_url(User, "change", alpha.pupil.pk)
    data = form_data(master_client.get(url), User)
    assert "is_operator" not in data and "is_superuser" not in data

    response = master_client.post(
        url, with_values(data, first_name="Renamed", is_operator="on", is_superuser="on", user_permissions=["1"])
    )

    assert response.status_code == 302
    alpha.pupil.refresh_from_db()
    assert alpha.pupil.first_name == "Renamed"
    assert not alpha.pupil.is_operator and not alpha.pupil.is_superuser
    assert not alpha.pupil.user_permissions.exists()


def test_master_referent_cannot_edit_an_operator(master_client, alpha):
    with platform_job():
        grant(alpha.operator, alpha.site, Role.SPEAKER, establishment=alpha.master)
    assert alpha.operator not in listed(master_client)
    url = admin_url(User, "change", alpha.operator.pk)
    assert master_client.get(url).status_code in (302, 403)
    assert master_client.post(url, {"email": "taken@example.org", "first_name": "x", "last_name": "y"}).status_code in (
        302,
        403,
    )
    response = master_client.post(
        password_url(alpha.operator.pk),
        {"password1": "An0ther-long-passw0rd", "password2": "An0ther-long-passw0rd"},
    )
    assert response.status_code in (403, 404)
    alpha.operator.refresh_from_db()
    assert alpha.operator.email != "taken@example.org"
    assert alpha.operator.check_password("a-long-test-password")


def test_master_referent_cannot_take_over_someone_who_also_works_elsewhere(master_client, alpha, beta):
    with platform_job():
        grant(alpha.pupil, beta.site, Role.MASTER_REFERENT)
    assert alpha.pupil in listed(master_client)
    url = admin_url(User, "change", alpha.pupil.pk)
    assert master_client.get(url).status_code == 200  # read-only
    assert master_client.post(url, {"email": "mine@example.org"}).status_code == 403
    response = master_client.post(
        password_url(alpha.pupil.pk),
        {"password1": "An0ther-long-passw0rd", "password2": "An0ther-long-passw0rd"},
    )
    assert response.status_code == 403
    alpha.pupil.refresh_from_db()
    assert alpha.pupil.check_password("a-long-test-password")


def test_password_change_works_through_the_admin_form(master_client, alpha):
    url = password_url(alpha.pupil.pk)
    assert master_client.get(url).status_code == 200
    response = master_client.post(
        url, {"password1": "Brand-new-passw0rd!", "password2": "Brand-new-passw0rd!", "usable_password": "true"}
    )
    assert response.status_code == 302
    alpha.pupil.refresh_from_db()
    assert alpha.pupil.check_password("Brand-new-passw0rd!")


def test_weak_password_is_a_form_error(master_client, alpha):
    url = password_url(alpha.pupil.pk)
    response = master_client.post(url, {"password1": "short", "password2": "short", "usable_password": "true"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_roles_inline_shows_this_sites_roles_only(master_client, alpha, beta):
    with platform_job():
        grant(alpha.speaker, beta.site, Role.SPEAKER, establishment=beta.master)
    response = master_client.get(admin_url(User, "change", alpha.speaker.pk))
    assert response.status_code == 200
    (formset,) = response.context["inline_admin_formsets"]
    shown = list(formset.formset.queryset)
    assert shown and {role.site_id for role in shown} == {alpha.site.pk}


def test_master_referent_grants_a_role_through_the_inline(master_client, alpha, beta):
    url = admin_url(User, "change", alpha.visitor.pk)
    data = form_data(master_client.get(url), User)
    n = roles_formset_count(data)
    data = with_values(
        data,
        **{
            "role_assignments-TOTAL_FORMS": n + 1,
            f"role_assignments-{n}-role": Role.STRUCTURE_REFERENT,
            f"role_assignments-{n}-structure": alpha.structure.pk,
            f"role_assignments-{n}-user": alpha.visitor.pk,
        },
    )

    response = master_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    with for_site(alpha.site):
        granted = RoleAssignment.objects.get(user=alpha.visitor, role=Role.STRUCTURE_REFERENT)
    assert granted.site_id == alpha.site.pk
    assert granted.granted_by == alpha.master_referent


@pytest.mark.parametrize(
    "role, scope",
    [
        (Role.PUPIL, {}),  # already held: the database would refuse it
        (Role.STRUCTURE_REFERENT, {"structure": "beta"}),  # another site's structure
        (Role.STRUCTURE_REFERENT, {}),  # a structure referent needs a structure
    ],
)
def test_wrong_role_through_the_inline_is_a_form_error(master_client, alpha, beta, role, scope):
    url = admin_url(User, "change", alpha.pupil.pk)
    data = form_data(master_client.get(url), User)
    n = roles_formset_count(data)
    extra = {f"role_assignments-{n}-{name}": beta.structure.pk for name in scope}
    data = with_values(
        data,
        **{
            "role_assignments-TOTAL_FORMS": n + 1,
            f"role_assignments-{n}-role": role,
            f"role_assignments-{n}-user": alpha.pupil.pk,
            **extra,
        },
    )
    with platform_job():
        before = RoleAssignment.objects.count()

    response = master_client.post(url, data)

    assert response.status_code == 200
    assert response.context["errors"]
    with platform_job():
        assert RoleAssignment.objects.count() == before


def test_the_same_role_twice_in_one_submission_is_a_form_error(operator_client, alpha):
    url = admin_url(User, "change", alpha.visitor.pk)
    data = form_data(operator_client.get(url), User)
    n = roles_formset_count(data)
    rows = {}
    for i in (n, n + 1):
        rows[f"role_assignments-{i}-role"] = Role.STUDENT
        rows[f"role_assignments-{i}-user"] = alpha.visitor.pk
    response = operator_client.post(url, with_values(data, **{"role_assignments-TOTAL_FORMS": n + 2, **rows}))
    assert response.status_code == 200
    with for_site(alpha.site):
        assert not RoleAssignment.objects.filter(user=alpha.visitor, role=Role.STUDENT).exists()


def test_master_referent_may_not_create_accounts_but_the_operator_may(master_client, alpha, client):
    url = admin_url(User, "add")
    assert master_client.get(url).status_code == 403

    client.force_login(alpha.operator)
    data = with_values(
        form_data(client.get(url), User),
        email="New.Person@Example.org",
        first_name="New",
        last_name="Person",
        usable_password="true",
        password1="A-long-enough-passw0rd",
        password2="A-long-enough-passw0rd",
        **{
            "role_assignments-TOTAL_FORMS": 1,
            "role_assignments-0-role": Role.SPEAKER,
            "role_assignments-0-establishment": alpha.master.pk,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    person = User.objects.get(email="new.person@example.org")
    with platform_job():
        (role,) = RoleAssignment.objects.filter(user=person)
    assert (role.site_id, role.role, role.granted_by) == (alpha.site.pk, Role.SPEAKER, alpha.operator)


def test_operator_may_make_an_operator(operator_client, alpha):
    url = admin_url(User, "change", alpha.pupil.pk)
    data = form_data(operator_client.get(url), User)
    response = operator_client.post(url, with_values(data, is_operator="on"))
    assert response.status_code == 302
    alpha.pupil.refresh_from_db()
    assert alpha.pupil.is_operator


def test_master_referent_may_edit_their_own_account(master_client, alpha):
    url = admin_url(User, "change", alpha.master_referent.pk)
    data = form_data(master_client.get(url), User)
    response = master_client.post(url, with_values(data, last_name="Moi"))
    assert response.status_code == 302
    alpha.master_referent.refresh_from_db()
    assert alpha.master_referent.last_name == "Moi"


def test_new_person_without_role_is_not_listed(master_client, alpha):
    stranger = make_user()
    assert stranger not in listed(master_client)
