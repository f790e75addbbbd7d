"""log_action: one row in the caller's transaction, undeclared types refused, values made
JSON-safe, the IP of staff actions only, pseudonymisation of a registrant."""

import datetime as dt

import pytest
from django.db import transaction

from apps.audit import context
from apps.audit.models import ActionLog
from apps.audit.services import changes, log_action, pseudonym, pseudonymise_person, snapshot

pytestmark = pytest.mark.django_db

ACTION = "audit.person.pseudonymised"


def test_a_row_per_call_with_the_owner_of_the_object(in_site):
    w = in_site
    with context.origin(ip="192.0.2.7"):
        entry = log_action(ACTION, site=w.site, actor=w.master_referent, obj=w.slot, data={"when": dt.date(2026, 1, 2)})
    entry.refresh_from_db()
    assert (entry.object_type, entry.object_id) == ("catalogue.slot", str(w.slot.pk))
    assert entry.object_label == str(w.slot)
    assert entry.establishment_id == w.master.pk and entry.high_school_id is None
    assert entry.actor_label == f"{w.master_referent.first_name} {w.master_referent.last_name}".strip()
    assert entry.data == {"when": "2026-01-02"}
    assert entry.ip == "192.0.2.7"


def test_undeclared_types_and_missing_site_are_refused(in_site):
    with pytest.raises(ValueError):
        log_action("nothing.like.this", site=in_site.site)
    with pytest.raises(ValueError):
        log_action(ACTION, site=None)
    assert not ActionLog.objects.exists()


def test_the_row_goes_with_a_rolled_back_change(in_site):
    w = in_site
    with pytest.raises(RuntimeError), transaction.atomic():
        log_action(ACTION, site=w.site, actor=w.master_referent, obj=w.course)
        raise RuntimeError
    assert not ActionLog.objects.exists()


def test_no_ip_when_a_person_acts_on_their_own_data(in_site):
    w = in_site
    with context.origin(ip="192.0.2.8"):
        own = log_action(ACTION, site=w.site, actor=w.pupil, subject=w.pupil, obj=w.registration)
        staff = log_action(ACTION, site=w.site, actor=w.master_referent, subject=w.pupil, obj=w.registration)
        job = log_action(ACTION, site=w.site, subject=w.pupil, obj=w.registration)
    assert (own.ip, staff.ip, job.ip) == (None, "192.0.2.8", None)


def test_changes_lists_edited_fields_only_and_hides_sensitive_values(in_site):
    w = in_site
    before = snapshot(w.slot, ["individual_places", "campus", "date"])
    w.slot.individual_places += 5
    assert changes(before, w.slot) == {
        "changed": {"individual_places": [before["individual_places"], before["individual_places"] + 5]}
    }
    assert changes({"remark": "a"}, {"remark": "b"}, hidden=("remark",)) == {"changed": {"remark": ["…", "…"]}}
    assert changes(before, snapshot(w.slot, ["campus", "date"]), ["campus", "date"]) == {}


def test_pseudonymisation_keeps_what_was_done_and_drops_the_name(in_site):
    w = in_site
    name = f"{w.pupil.first_name} {w.pupil.last_name}".strip()
    with context.origin(ip="192.0.2.9"):
        by_staff = log_action(
            ACTION, site=w.site, actor=w.master_referent, subject=w.pupil, label=f"{name} — slot", data={"x": 1}
        )
        own = log_action(ACTION, site=w.site, actor=w.pupil, subject=w.pupil, obj=w.registration)
    other = log_action(ACTION, site=w.site, actor=w.master_referent, subject=w.other_pupil, obj=w.other_registration)
    assert pseudonymise_person(w.pupil) == 2
    by_staff.refresh_from_db(), own.refresh_from_db(), other.refresh_from_db()
    alias = pseudonym(w.pupil.pk)
    assert (by_staff.subject_id, by_staff.subject_label, by_staff.data) == (None, alias, {})
    assert by_staff.object_label == f"{alias} — slot" and by_staff.actor_id == w.master_referent.pk
    assert (own.actor_id, own.actor_label, own.ip, own.pseudonymised) == (None, alias, None, True)
    assert other.subject_id == w.other_pupil.pk and not other.pseudonymised


def test_files_are_logged_by_their_name_even_in_private_storage(in_site):
    from django.core.files.base import ContentFile
    from django.db.models.fields.files import FieldFile

    from apps.audit.services import json_value
    from apps.core.storage import PrivateStorage

    field = FieldFile(None, type("F", (), {"storage": PrivateStorage()})(), "documents/x.pdf")
    assert json_value(field) == "documents/x.pdf"
    assert json_value(ContentFile(b"x", name="y.pdf")) == "y.pdf"
