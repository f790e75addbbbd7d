"""Accounts never activated are deleted after UNACTIVATED_ACCOUNT_DAYS days, on every site."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.services import delete_unactivated_accounts, unactivated_accounts
from apps.records.models import PupilRecord
from apps.tenancy.scoping import for_site, platform_job
from tests.factories import grant, make_user

from .local_helpers import signup_data


def _person(site, role=Role.PUPIL, days_old=10, **fields):
    fields.setdefault("is_active", False)
    with platform_job():
        user = make_user(**fields)
        grant(user, site, role)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=days_old))
    return user


@pytest.fixture
def people(world, other_world, settings):
    settings.UNACTIVATED_ACCOUNT_DAYS = 7
    now = timezone.now()
    return {
        "old": _person(world.site),
        "old_visitor_elsewhere": _person(other_world.site, Role.VISITOR),
        "recent": _person(world.site, days_old=2),
        "activated": _person(world.site, is_active=True),
        "staff": _staff_person(world),
        "signed_in_once": _person(world.site, last_login=now - dt.timedelta(days=30)),
        "confirmed": _person(world.site, email_confirmed_at=now - dt.timedelta(days=30)),
        "operator": _person(world.site, is_operator=True),
    }


def _staff_person(world):
    user = _person(world.site)
    with platform_job():
        grant(user, world.site, Role.SPEAKER, establishment=world.master)
    return user


def _remaining(people):
    ids = set(User.objects.filter(pk__in=[u.pk for u in people.values()]).values_list("pk", flat=True))
    return {name for name, user in people.items() if user.pk in ids}


def test_only_old_accounts_never_activated_and_without_staff_roles_are_selected(people):
    selected = set(unactivated_accounts().values_list("pk", flat=True))
    assert selected == {people["old"].pk, people["old_visitor_elsewhere"].pk}


def test_a_dry_run_deletes_nothing(people):
    assert delete_unactivated_accounts(dry_run=True) == 2
    assert _remaining(people) == set(people)


def test_the_deletion_takes_roles_and_records_along_and_is_idempotent(world, people):
    with platform_job():
        PupilRecord.objects.create(site=world.site, user=people["old"])
    assert delete_unactivated_accounts() == 2
    assert _remaining(people) == set(people) - {"old", "old_visitor_elsewhere"}
    with platform_job():
        assert not RoleAssignment.objects.filter(user_id=people["old"].pk).exists()
        assert not PupilRecord.objects.filter(user_id=people["old"].pk).exists()
    assert delete_unactivated_accounts() == 0


def test_their_names_leave_the_action_log(world, people):
    from apps.audit.models import ActionLog
    from apps.audit.services import log_action, pseudonym

    old = people["old"]
    with for_site(world.site):
        entry = log_action("records.record.created", site=world.site, actor=old, subject=old, obj=old, label=str(old))
    assert delete_unactivated_accounts() == 2
    with for_site(world.site):
        entry = ActionLog.objects.get(pk=entry.pk)
    alias = pseudonym(old.pk)
    assert (entry.actor_id, entry.actor_label, entry.subject_label, entry.object_label) == (None, alias, alias, alias)


def test_the_age_is_configurable(people):
    assert delete_unactivated_accounts(days=1) == 3
    assert "recent" not in _remaining(people)


def test_the_age_counts_from_now(people):
    later = timezone.now() + dt.timedelta(days=6)
    assert set(unactivated_accounts(now=later).values_list("pk", flat=True)) >= {people["recent"].pk}


def test_the_command(people):
    out = StringIO()
    call_command("delete_unactivated_accounts", "--dry-run", stdout=out)
    assert "2" in out.getvalue() and _remaining(people) == set(people)
    out = StringIO()
    call_command("delete_unactivated_accounts", "--days", "1", stdout=out)
    assert "3" in out.getvalue()
    out = StringIO()
    call_command("delete_unactivated_accounts", stdout=out)
    assert out.getvalue().startswith("0 ")


def test_an_account_from_the_sign_up_page_goes_when_never_activated(client, world, mailoutbox, settings):
    settings.UNACTIVATED_ACCOUNT_DAYS = 7
    client.post(reverse("accounts:signup"), signup_data())
    user = User.objects.get(email="new.pupil@example.org")
    assert delete_unactivated_accounts() == 0
    assert delete_unactivated_accounts(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not User.objects.filter(pk=user.pk).exists()
