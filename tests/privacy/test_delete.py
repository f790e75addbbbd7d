"""Deleting my own account: proven by my password (or a phrase), registrations cancelled with
their places given back, files removed, the account gone, me signed out."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from apps.accounts.models import Role
from apps.registrations.models import Registration, Status
from apps.tenancy.scoping import for_site, platform_job
from tests.duplicates.helpers import document
from tests.factories import grant, make_user

from .conftest import register, taken

User = get_user_model()
DELETE = reverse("privacy:delete")
PASSWORD = "a-long-test-password"


def still_there(user):
    return User.objects.filter(pk=user.pk).exists()


def test_the_page_asks_for_my_password(client, world):
    client.force_login(world.pupil)
    response = client.get(DELETE)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="password"' in content and 'autocomplete="current-password"' in content


def test_a_wrong_password_changes_nothing(client, world, django_capture_on_commit_callbacks):
    w = world
    registration = register(w.site, w.host_slot, w.pupil)
    client.force_login(w.pupil)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": "not-my-password"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'aria-invalid="true"' in content and 'aria-describedby="id_password-errors"' in content
    assert still_there(w.pupil) and taken(w.host_slot) == 1
    with platform_job():
        assert Registration.objects.get(pk=registration.pk).status == Status.ACTIVE
    assert mail.outbox == []
    assert client.get(reverse("privacy:home")).status_code == 200  # still signed in


def test_deleting_my_account(client, world, other_world, django_capture_on_commit_callbacks):
    w, o = world, other_world
    here = register(w.site, w.host_slot, w.pupil)
    with platform_job():
        Registration.objects.filter(pk=w.registration.pk).delete()  # the world's one is not counted
        grant(w.pupil, o.site, Role.VISITOR)
    there = register(o.site, o.slot, w.pupil)
    current, archived = document(w.site, w.pupil), document(w.site, w.pupil, label="Photo", archived=True)
    files = [(d.file.storage, d.file.name) for d in (current, archived)]
    assert all(storage.exists(name) for storage, name in files)
    client.force_login(w.pupil)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert not still_there(w.pupil)
    # places given back on every site (the other site keeps its own pupil's place)
    assert taken(w.host_slot) == 0 and taken(o.slot) == 1
    with platform_job():
        assert not Registration.objects.filter(pk__in=[here.pk, there.pk]).exists()
    assert not any(storage.exists(name) for storage, name in files)
    assert [m.to for m in mail.outbox] == [[w.pupil.email]] * 3  # two cancellations, then the goodbye
    assert w.pupil.first_name in mail.outbox[-1].body
    # Signed out, with a message on the home page.
    home = client.get(response.url)
    assert [message.level_tag for message in home.context["messages"]] == ["success"]
    assert client.get(reverse("privacy:home")).status_code == 302


def test_others_are_not_touched(client, world, django_capture_on_commit_callbacks):
    w = world
    client.force_login(w.pupil)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DELETE, {"password": PASSWORD})
    assert still_there(w.other_pupil)
    with platform_job():
        assert Registration.objects.get(pk=w.other_registration.pk).status == Status.ACTIVE


def test_a_federated_account_confirms_with_a_phrase(client, world, django_capture_on_commit_callbacks):
    user = world.student
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = client.get(DELETE)
    assert 'name="password"' not in page.content.decode() and 'name="phrase"' in page.content.decode()

    assert client.post(DELETE, {"phrase": "yes"}).status_code == 400
    assert still_there(user)

    from apps.privacy.forms import confirmation_phrase

    phrase = str(confirmation_phrase())  # in the language the page was shown in (French by default)
    assert phrase in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"phrase": f"  {phrase.upper()} "})
    assert response.status_code == 302
    assert not still_there(user)


def test_an_operator_cannot_delete_their_account(client, world):
    client.force_login(world.operator)
    page = client.get(DELETE)
    assert page.context["blockers"] and '<form method="post" novalidate>' not in page.content.decode()
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 403
    assert still_there(world.operator)


def test_the_last_master_referent_cannot_delete_their_account(client, world):
    client.force_login(world.master_referent)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 403
    assert world.site.name in response.content.decode()
    assert still_there(world.master_referent)


def test_a_master_referent_with_a_colleague_can(client, world, django_capture_on_commit_callbacks):
    with for_site(world.site):
        grant(make_user(), world.site, Role.MASTER_REFERENT)
    client.force_login(world.master_referent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302
    assert not still_there(world.master_referent)


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_my_own_account_is_ever_deleted(client, world, method):
    # No id is read from the request: posting someone else's id deletes nothing of theirs.
    client.force_login(world.visitor)
    getattr(client, method)(DELETE, {"password": "wrong", "user": world.pupil.pk, "pk": world.pupil.pk})
    assert still_there(world.pupil) and still_there(world.visitor)
