"""Sign-ins of the staff in the action log: succeeded, failed and locked out, on every path (the
site's form, the admin's, CAS), for staff of the site and the operator only; nothing for a
registrant, nor for an address with no account (never the address typed, never a password)."""

from unittest import mock

import cas
import pytest
from axes.signals import user_locked_out
from django.test import RequestFactory
from django.urls import reverse

from apps.audit.models import ActionLog
from tests.federation.conftest import configure

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "a-long-test-password"  # tests.factories.make_user
CAS_SERVER = "https://cas.univ-example.fr/cas"


def _rows_of(write):
    last = ActionLog.objects.with_scopes_disabled().order_by("-pk").values_list("pk", flat=True).first() or 0
    write()
    return list(ActionLog.objects.with_scopes_disabled().filter(pk__gt=last).order_by("pk"))


def test_sign_ins_of_the_staff_are_logged_and_no_one_else(client, world):
    w = world
    configure(w.site, cas_enabled=True, cas_server_url=CAS_SERVER + "/", cas_version="3").cas_establishments.add(
        w.master
    )

    def form(user, password=PASSWORD):
        def post():
            client.logout()
            client.post(LOGIN, {"email": user if isinstance(user, str) else user.email, "password": password})

        return post

    def admin(user, password=PASSWORD):
        def post():
            client.logout()
            client.post(ADMIN_LOGIN, {"username": user.email, "password": password})

        return post

    def cas_sign_in(user):
        def get():
            client.logout()
            answer = (user.email, {}, None)
            with mock.patch.object(cas.CASClientV3, "verify_ticket", return_value=answer):
                client.get("/sign-in/cas/", {"ticket": "ST-1"})

        return get

    def locked_out(user):
        def send():
            request = RequestFactory().post(LOGIN)
            request.site = w.site
            user_locked_out.send("axes", request=request, username=user.email.upper(), ip_address="192.0.2.1")

        return send

    cases = [
        ("a staff member on the site's form", form(w.structure_referent), "succeeded", w.structure_referent),
        ("the operator", form(w.operator), "succeeded", w.operator),
        ("the admin's form", admin(w.master_referent), "succeeded", w.master_referent),
        ("CAS", cas_sign_in(w.speaker), "succeeded", w.speaker),
        ("a wrong password", form(w.speaker, "not-the-password"), "failed", w.speaker),
        ("staff refused by the admin", admin(w.speaker), "failed", w.speaker),
        ("locked out", locked_out(w.consultant), "locked_out", w.consultant),
        ("a pupil", form(w.pupil), None, None),
        ("a pupil's wrong password", form(w.pupil, "not-the-password"), None, None),
        ("an unknown address", form("nobody@example.org"), None, None),
        ("a NUL in the address", form("no\x00body@example.org"), None, None),
    ]
    for name, write, verb, user in cases:
        rows = [row for row in _rows_of(write) if row.action.startswith("accounts.login.")]
        if verb is None:
            assert rows == [], name
            continue
        assert [(row.action, row.actor_id, row.object_id) for row in rows] == [
            (f"accounts.login.{verb}", user.pk, str(user.pk))
        ], name
        assert rows[0].site_id == w.site.pk and rows[0].object_type == "accounts.user", name
    texts = [str(values) for values in ActionLog.objects.with_scopes_disabled().values_list("object_label", "data")]
    assert not any("nobody" in text or "not-the-password" in text or PASSWORD in text for text in texts)
    # The IP address of a sign-in is kept (the middleware gives it).
    assert ActionLog.objects.with_scopes_disabled().filter(action="accounts.login.succeeded", ip="127.0.0.1").exists()


@pytest.mark.parametrize("role", ["master_referent", "pupil"])
def test_a_sign_in_on_another_site_is_logged_there_only_for_its_staff(client, world, other_world, role):
    other = getattr(other_world, role)
    rows = _rows_of(
        lambda: client.post(LOGIN, {"email": other.email, "password": PASSWORD}, HTTP_HOST="beta.localhost")
    )
    expected = [("accounts.login.succeeded", other_world.site.pk)] if role == "master_referent" else []
    assert [(row.action, row.site_id) for row in rows if row.action.startswith("accounts.")] == expected
