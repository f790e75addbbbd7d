"""The action log and personal data: consents and account deletion leave their rows, a deleted
account's entries are pseudonymised (a staff member keeps their name on what they did to others),
and "my data" (the page and the export) shows the entries by and about the person."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.audit.models import ActionLog
from apps.audit.services import log_action, pseudonym, pseudonymise_person
from apps.privacy import services
from apps.privacy.pseudonyms import pseudonymise_people
from apps.tenancy.scoping import for_site
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
ACTION = "records.record.validated"


def log():
    return ActionLog.objects.with_scopes_disabled().order_by("pk")


def test_consents_are_logged_when_they_change(world):
    w = world
    with for_site(w.site):
        cases = [
            (w.pupil, True, False, ["consent_high_school_sees_immersions"]),
            (w.pupil, True, False, None),  # the same again: nothing to log
            (w.pupil, True, True, ["consent_name_visible_to_registrants"]),
            (w.visitor, True, True, None),  # no pupil record: nothing changes
        ]
        for person, high_school, names, changed in cases:
            seen = log().count()
            services.update_consents(
                w.site, person, high_school_sees_immersions=high_school, name_visible_to_registrants=names
            )
            rows = list(log()[seen:])
            if changed is None:
                assert rows == []
                continue
            (row,) = rows
            assert (row.action, row.actor_id, row.subject_id) == ("privacy.consents.changed", person.pk, person.pk)
            assert list(row.data["changed"]) == changed
            assert row.object_id == str(w.pupil_record.pk)


def test_deleting_a_registrant_account_logs_it_and_pseudonymises_them(world, other_world):
    w = world
    pupil, staff = w.pupil, w.master_referent
    with for_site(w.site):
        own = log_action(ACTION, site=w.site, actor=pupil, subject=pupil, obj=w.pupil_record)
        about = log_action(ACTION, site=w.site, actor=staff, subject=pupil, obj=w.pupil_record, data={"x": 1})
        other = log_action(ACTION, site=w.site, actor=staff, subject=w.other_pupil, obj=w.other_pupil_record)
    services.delete_account(pupil, site=w.site)
    alias = pseudonym(pupil.pk)
    deleted = log().get(action="privacy.account.deleted")
    assert (deleted.site_id, deleted.actor_label, deleted.subject_label, deleted.object_label) == (
        w.site.pk,
        alias,
        alias,
        alias,
    )
    for entry in (own, about, other):
        entry.refresh_from_db()
    assert (own.actor_label, own.subject_label, own.pseudonymised) == (alias, alias, True)
    assert (about.actor_id, about.subject_label, about.data) == (staff.pk, alias, {})
    assert pupil.last_name not in about.object_label
    assert (other.subject_id, other.pseudonymised) == (w.other_pupil.pk, False)


def test_a_staff_member_keeps_their_name_on_what_they_did(world):
    w = world
    referent = w.structure_referent
    name = f"{referent.first_name} {referent.last_name}"
    with for_site(w.site):
        did = log_action(ACTION, site=w.site, actor=referent, subject=w.pupil, obj=w.pupil_record)
        about = log_action(ACTION, site=w.site, actor=w.master_referent, subject=referent, label=f"Role of {name}")
    services.delete_account(referent, site=w.site)
    did.refresh_from_db(), about.refresh_from_db()
    alias = pseudonym(referent.pk)
    assert (did.actor_label, did.subject_id, did.pseudonymised) == (name, w.pupil.pk, False)
    assert (about.subject_label, about.object_label, about.actor_id) == (
        alias,
        f"Role of {alias}",
        w.master_referent.pk,
    )
    deleted = log().get(action="privacy.account.deleted")
    assert deleted.actor_label == alias and deleted.subject_label == alias


def test_a_refused_deletion_leaves_no_row(world):
    w = world
    for person in (w.operator, w.master_referent):  # an operator; the last master referent
        with pytest.raises(services.DeletionRefused):
            services.delete_account(person, site=w.site)
    assert not log().exists()


def test_my_data_shows_and_exports_what_was_done_by_and_about_me(client, world, other_world):
    w = world
    with for_site(w.site):
        log_action(ACTION, site=w.site, actor=w.master_referent, subject=w.pupil, obj=w.pupil_record, data={"y": 2})
        log_action("privacy.consents.changed", site=w.site, actor=w.pupil, subject=w.pupil, obj=w.pupil_record)
        log_action(ACTION, site=w.site, subject=w.pupil, obj=w.pupil_record)  # a job
        log_action(ACTION, site=w.site, actor=w.master_referent, subject=w.other_pupil, obj=w.other_pupil_record)
    with for_site(other_world.site):
        staff_elsewhere = make_user()
        log_action(ACTION, site=other_world.site, actor=staff_elsewhere, subject=w.pupil, label="Elsewhere")
    master = f"{w.master_referent.first_name} {w.master_referent.last_name}"

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(w.pupil)
    page = client.get(reverse("privacy:home")).content.decode()
    assert page.count("Record validated") == 2 and "Consents changed" in page
    assert master in page and "Elsewhere" not in page and str(w.other_pupil_record) not in page

    export = json.loads(client.get(reverse("privacy:export")).content.decode())
    by_site = {name: site["action_log"] for name, site in export["sites"].items()}
    here = by_site[w.site.name]
    assert [(row["action"], row["by"], row["by_me"], row["by_platform"]) for row in here] == [
        (ACTION, "", False, True),
        ("privacy.consents.changed", "", True, False),
        (ACTION, master, False, False),
    ]
    assert here[2]["details"] == {"y": 2}
    assert [row["object"] for row in by_site[other_world.site.name]] == ["Elsewhere"]

    client.force_login(w.master_referent)  # what I did to others: without their details
    export = json.loads(client.get(reverse("privacy:export")).content.decode())
    rows = export["sites"][w.site.name]["action_log"]
    assert len(rows) == 2 and all("details" not in row and row["by_me"] for row in rows)
    assert not any(m["model"] == "audit.actionlog" for m in export["sites"][w.site.name]["mentions"])


def test_pseudonymising_many_people_at_once_does_what_pseudonymise_person_does(world):
    """The purge's batch variant against the audit's one-person function, on the same entries."""
    w = world
    staff = w.master_referent
    with for_site(w.site):
        first, second = make_user(), make_user()
        for person in (first, second):
            name = f"{person.first_name} {person.last_name}"
            log_action(ACTION, site=w.site, actor=person, subject=person, label=f"Record of {name}")
            log_action(
                ACTION, site=w.site, actor=staff, subject=person, label=f"{name} ({person.email})", data={"a": 1}
            )
            log_action(ACTION, site=w.site, actor=person, label=f"Slot seen by {name}")
            log_action(ACTION, site=w.site, actor=staff, obj=person)
        log_action(ACTION, site=w.site, actor=staff, subject=w.pupil, obj=w.pupil_record)
    assert pseudonymise_person(first) == 3
    assert pseudonymise_people([second]) == 3

    fields = ("action", "actor_id", "actor_label", "subject_id", "subject_label", "object_label", "data", "ip")

    def rows(person):
        alias = pseudonym(person.pk)
        return [
            tuple(str(value).replace(alias, "#") for value in values)
            for values in log().filter(object_label__contains=alias).values_list(*fields, "pseudonymised")
        ]

    assert rows(first) == rows(second) and len(rows(first)) == 4
    untouched = log().get(subject=w.pupil)
    assert untouched.pseudonymised is False and untouched.actor_id == staff.pk
