"""Every export of the back office leaves its row: who, which export, its filters, whether it names
people, how many rows; a refused or invalid export leaves none."""

import csv
import io

import pytest
from django.urls import reverse

from apps.audit.models import ActionLog

pytestmark = pytest.mark.django_db


def log():
    return ActionLog.objects.with_scopes_disabled().order_by("pk")


def csv_data_rows(response):
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return len(list(csv.reader(io.StringIO(raw, newline=""), delimiter=";"))) - 1


def test_each_export_is_logged_with_its_filters_and_whether_it_names_people(client, data):
    w = data
    period = f"?period={w.period.pk}"
    cases = [
        # who, kind, format, query, names people
        (w.structure_referent, "registrations", "csv", "", True),
        (w.structure_referent, "slots", "xlsx", period, False),
        (w.consultant, "registrations", "csv", "", False),
        (w.master_referent, "courses", "csv", "", False),
        (w.high_school_referent, "registrations", "csv", period, False),
    ]
    for who, kind, fmt, query, nominative in cases:
        client.force_login(who)
        seen = log().count()
        response = client.get(reverse("statistics:export", args=[kind, fmt]) + query)
        assert response.status_code == 200
        rows = csv_data_rows(response) if fmt == "csv" else None
        (entry,) = log()[seen:]
        assert (entry.action, entry.actor_id, entry.object_type) == (
            "statistics.export.downloaded",
            who.pk,
            "statistics.export",
        )
        assert entry.data["export"] == kind and entry.data["format"] == fmt
        assert entry.data["nominative"] is nominative, (who, kind)
        assert entry.object_label.startswith(f"{kind}-{w.site.slug}-") and entry.object_label.endswith(fmt)
        if rows is not None:
            assert entry.data["rows"] == rows, (who, kind)
        expected_filters = {"period": {"id": w.period.pk, "label": str(w.period)}} if query else {}
        assert entry.data["filters"] == expected_filters

    seen = log().count()
    client.force_login(w.high_school_referent)
    assert client.get(reverse("statistics:export", args=["courses", "csv"])).status_code == 403
    client.force_login(w.structure_referent)
    bad = reverse("statistics:export", args=["slots", "csv"]) + "?date_from=2026-02-01&date_to=2026-01-01"
    assert client.get(bad).status_code == 400
    assert log().count() == seen


def test_a_slots_attendance_list_is_logged_on_the_slot(client, data, monkeypatch):
    w = data
    monkeypatch.setattr("apps.registrations.pdf.render_pdf", lambda template, context: b"%PDF-1.4\n%%EOF\n")
    client.force_login(w.structure_referent)
    response = client.get(reverse("backoffice:registrants_attendance_pdf", args=[w.slot.pk]))
    assert response.status_code == 200
    entry = log().get()
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "catalogue.slot",
        str(w.slot.pk),
        w.structure_referent.pk,
    )
    assert entry.data["export"] == "attendance_list" and entry.data["nominative"] is True
    assert entry.data["rows"] == 1 and entry.object_label.endswith(".pdf")
