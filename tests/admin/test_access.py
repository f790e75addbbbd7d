"""Who gets into the admin of a site: the operator and that site's master referent."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from apps.accounts import policy
from apps.admin_face.base import ImmerSupAdminSite, PolicyAdmin, SiteOwnedAdmin
from apps.catalogue.models import Slot
from apps.organisations.models import Structure
from apps.tenancy.models import SiteOwnedModel

from .conftest import BETA
from .helpers import admin_url, site_owned_admins

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
SLOTS = admin_url(Slot)


def test_the_default_admin_site_is_the_policy_checking_one():
    assert isinstance(admin.site, ImmerSupAdminSite)


def test_anonymous_is_sent_to_the_login_page(client, alpha):
    for url in (INDEX, SLOTS):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("who", ["pupil", "structure_referent", "establishment_referent", "speaker", "visitor"])
def test_other_roles_of_the_site_are_refused(client, alpha, who):
    user = getattr(alpha, who)
    assert not policy.may_use_admin(user, alpha.site)
    client.force_login(user)
    for url in (INDEX, SLOTS, admin_url(Structure, "add")):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url.startswith(reverse("admin:login"))


def test_master_referent_of_another_site_is_refused(client, alpha, beta):
    client.force_login(beta.master_referent)
    assert client.get(INDEX).status_code == 302
    assert client.get(SLOTS).status_code == 302
    # ...but is at home on their own site's host.
    assert client.get(INDEX, HTTP_HOST=BETA).status_code == 200
    assert client.get(SLOTS, HTTP_HOST=BETA).status_code == 200


def test_refused_post_changes_nothing(client, alpha):
    client.force_login(alpha.structure_referent)
    response = client.post(admin_url(Structure, "add"), {"establishment": alpha.master.pk, "code": "X", "label": "X"})
    assert response.status_code in (302, 403)
    assert not Structure.objects.with_scopes_disabled().filter(code="X").exists()


def test_master_referent_and_operator_get_in(client, alpha):
    for user in (alpha.master_referent, alpha.operator):
        client.force_login(user)
        response = client.get(INDEX)
        assert response.status_code == 200
        assert alpha.site.name in response.content.decode()
        assert client.get(SLOTS).status_code == 200


def test_inactive_master_referent_is_refused(client, alpha):
    alpha.master_referent.is_active = False
    alpha.master_referent.save()
    client.force_login(alpha.master_referent)
    assert client.get(INDEX).status_code == 302


def test_admin_site_asks_the_policy(client, alpha, monkeypatch):
    calls = []

    def deny(user, site):
        calls.append((user.pk, site.pk))
        return False

    monkeypatch.setattr(policy, "may_use_admin", deny)
    client.force_login(alpha.operator)
    assert client.get(SLOTS).status_code == 302
    assert (alpha.operator.pk, alpha.site.pk) in calls


def test_index_lists_the_models_of_the_site_but_not_the_operator_ones(master_client, alpha):
    response = master_client.get(INDEX)
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Slot", "Course", "Structure", "RoleAssignment", "User", "Site"} <= models
    assert "SiteHost" not in models  # host names are the operator's
    assert "Group" not in models and "AccessAttempt" not in models  # Django permissions: none for them


def test_a_site_owned_model_cannot_be_registered_without_the_site_owned_admin():
    site = ImmerSupAdminSite(name="check")
    with pytest.raises(ImproperlyConfigured):
        site.register(Structure)
    with pytest.raises(ImproperlyConfigured):
        site.register(Structure, PolicyAdmin)
    site.register(Structure, SiteOwnedAdmin)


def test_every_site_owned_model_is_registered_with_the_site_owned_admin():
    site_owned = {model for model in apps.get_models() if issubclass(model, SiteOwnedModel)}
    registered = {model for model, _ in site_owned_admins()}
    assert site_owned == registered
    assert all(isinstance(model_admin, SiteOwnedAdmin) for _, model_admin in site_owned_admins())
