"""The master referent's writes leave their action-log rows, written by the services of
apps/backoffice/reference (reference lists, calendar, public texts, site settings): created
(the values), changed (old → new), deleted; a refused write leaves none. And the back-office
edit pages show the object's history, in a number of queries that does not grow with it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.academic_calendar.models import Holiday, UniversityYear
from apps.audit.models import ActionLog
from apps.audit.services import log_action
from apps.content.models import FaqEntry
from apps.referentials.models import EventType
from apps.tenancy.scoping import for_site
from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import url

client = support.client
private_media = support.private_media
ref_world = support.ref_world  # the area's fixtures


def _rows_of(client, path, data=None):
    last = ActionLog.objects.with_scopes_disabled().order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(path, data or {})
    rows = list(ActionLog.objects.with_scopes_disabled().filter(pk__gt=last).order_by("pk"))
    return response, rows


def _one(site, model, **lookup):
    with for_site(site):
        return model.objects.get(**lookup)


def test_each_write_of_the_master_referents_pages_leaves_its_row(client, ref_world):
    w = ref_world
    client.force_login(w.master_referent)
    day = w.year.start_date + dt.timedelta(days=30)
    event_type = {"label": "Conférence", "position": 0, "is_active": "on"}
    year = {
        "label": "2030-2031",
        "start_date": "2030-09-01",
        "end_date": "2031-08-31",
        "accounts_open_date": "2030-08-15",
        "purge_date": "2031-09-30",
    }
    faq = {"question": "Qui ?", "answer": "<p>Tous</p>", "position": 2, "published": "on"}

    def new_type():
        return _one(w.site, EventType, label__startswith="Conférence")

    def new_year():
        return _one(w.site, UniversityYear, label="2030-2031")

    def holiday():
        return _one(w.site, Holiday, label="Armistice")

    def entry():
        return _one(w.site, FaqEntry, question="Qui ?")

    cases = [
        # (name, path, data, [(action, object type, object id)], check of the last row's data)
        (
            "a reference item created",
            lambda: url("reference_create", "event-types"),
            event_type,
            lambda: [("referentials.eventtype.created", "referentials.eventtype", new_type().pk)],
            lambda data: data["label"] == "Conférence" and data["is_active"] is True,
        ),
        (
            "changed",
            lambda: url("reference_edit", "event-types", new_type().pk),
            {**event_type, "label": "Conférence-débat"},
            lambda: [("referentials.eventtype.changed", "referentials.eventtype", new_type().pk)],
            lambda data: data == {"changed": {"label": ["Conférence", "Conférence-débat"]}},
        ),
        (
            "deactivated",
            lambda: url("reference_set_flag", "event-types", w.event_type.pk),
            {"value": "0"},
            lambda: [("referentials.eventtype.changed", "referentials.eventtype", w.event_type.pk)],
            lambda data: data == {"changed": {"is_active": [True, False]}},
        ),
        (
            "a subdomain changed",
            lambda: url("reference_subdomain_edit", w.domain.pk, w.subdomain.pk),
            {"label": "Informatique et réseaux", "position": 0, "is_active": "on"},
            lambda: [("referentials.trainingsubdomain.changed", "referentials.trainingsubdomain", w.subdomain.pk)],
            None,
        ),
        (
            "a year created",
            lambda: url("reference_year_create"),
            year,
            lambda: [("academic_calendar.universityyear.created", "academic_calendar.universityyear", new_year().pk)],
            lambda data: data["is_active"] is False and data["start_date"] == "2030-09-01",
        ),
        (
            "made current: the previous current year is changed too",
            lambda: url("reference_year_edit", new_year().pk),
            {**year, "make_current": "on"},
            lambda: [
                ("academic_calendar.universityyear.changed", "academic_calendar.universityyear", w.year.pk),
                ("academic_calendar.universityyear.changed", "academic_calendar.universityyear", new_year().pk),
            ],
            lambda data: data == {"changed": {"is_active": [False, True]}},
        ),
        (
            "a holiday created",
            lambda: url("reference_year_part_create", w.year.pk, "holidays"),
            {"label": "Armistice", "date": f"{day:%Y-%m-%d}"},
            lambda: [("academic_calendar.holiday.created", "academic_calendar.holiday", holiday().pk)],
            None,
        ),
        (
            "a period changed",
            lambda: url("reference_year_part_edit", w.year.pk, "periods", w.period.pk),
            {
                "label": "Semestre 2",
                "registration_start": f"{w.period.registration_start:%Y-%m-%dT%H:%M}",
                "registration_end": f"{w.period.registration_end:%Y-%m-%dT%H:%M}",
                "immersion_start": f"{w.period.immersion_start:%Y-%m-%d}",
                "immersion_end": f"{w.period.immersion_end:%Y-%m-%d}",
                "quota_per_person": w.period.quota_per_person,
                "deadline_policy": w.period.deadline_policy,
                "registration_hours_before": w.period.registration_hours_before,
                "cancellation_hours_before": w.period.cancellation_hours_before,
            },
            lambda: [("academic_calendar.period.changed", "academic_calendar.period", w.period.pk)],
            lambda data: data["changed"]["label"] == ["Semestre", "Semestre 2"],
        ),
        (
            "a public text created",
            lambda: url("content_create", "faq"),
            faq,
            lambda: [("content.faqentry.created", "content.faqentry", entry().pk)],
            lambda data: data["answer"] == "<p>Tous</p>",
        ),
        (
            "unpublished",
            lambda: url("content_set_flag", "faq", entry().pk),
            {"value": "0"},
            lambda: [("content.faqentry.changed", "content.faqentry", entry().pk)],
            lambda data: data == {"changed": {"published": [True, False]}},
        ),
        (
            "deleted (logged before it goes)",
            lambda: url("content_delete", "faq", entry().pk),
            None,
            lambda: [("content.faqentry.deleted", "content.faqentry", w.deleted_pk)],
            None,
        ),
        (
            "the holiday deleted",
            lambda: url("reference_year_part_delete", w.year.pk, "holidays", holiday().pk),
            None,
            lambda: [("academic_calendar.holiday.deleted", "academic_calendar.holiday", w.deleted_pk)],
            None,
        ),
        (
            "the site settings",
            lambda: url("reference_site_settings"),
            {**support_settings(), "contact_email": "ecrire@example.org"},
            lambda: [("tenancy.site.changed", "tenancy.site", w.site.pk)],
            lambda data: data["changed"]["contact_email"] == ["", "ecrire@example.org"],
        ),
    ]
    for name, path, data, expected, check in cases:
        target = path()
        w.deleted_pk = target.rstrip("/").split("/")[-2] if target.endswith("/delete/") else None
        response, rows = _rows_of(client, target, data)
        assert response.status_code == 302, (name, response.status_code)
        assert [(row.action, row.object_type, row.object_id) for row in rows] == [
            (action, object_type, str(pk)) for action, object_type, pk in expected()
        ], name
        assert all(row.actor_id == w.master_referent.pk and row.site_id == w.site.pk for row in rows), name
        assert check is None or check(rows[-1].data), (name, rows[-1].data)

    # A form error, a row in use, nothing changed: no row.
    refused = [
        (url("reference_create", "course-types"), {"code": "XX", "label": "Cours magistral", "position": 0}),
        (url("reference_delete", "event-types", w.event_type.pk), None),  # events use it
        (url("reference_year_part_delete", w.year.pk, "periods", w.period.pk), None),  # slots use it
        (url("reference_set_flag", "event-types", w.event_type.pk), {"value": "0"}),  # already inactive
    ]
    for path, data in refused:
        _response, rows = _rows_of(client, path, data)
        assert rows == [], path


def support_settings():
    from tests.backoffice.test_reference_settings import settings_data

    return settings_data()


@pytest.fixture
def edit_pages(world):
    """(URL of each back-office edit page showing a history, the object it shows)."""
    w = world
    return [
        (url("slots_edit", w.slot.pk), w.slot),
        (url("offer_course_edit", w.course.pk), w.course),
        (url("offer_event_edit", w.event.pk), w.event),
        (url("organisations_training_edit", w.training.pk), w.training),
        (url("organisations_establishment_edit", w.host.pk), w.host),
        (url("organisations_highschool_edit", w.high_school.pk), w.high_school),
        (url("organisations_campus_edit", w.campus.pk), w.campus),
        (url("reference_edit", "event-types", w.event_type.pk), w.event_type),
        (url("reference_year_edit", w.year.pk), w.year),
        (url("reference_year_part_edit", w.year.pk, "periods", w.period.pk), w.period),
        (url("reference_site_settings"), w.site),
    ]


def _page(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def test_edit_pages_show_the_history_in_constant_queries(client, world, edit_pages):
    w = world
    client.force_login(w.master_referent)
    client.get(url("reference_site_settings"))  # warm-up: session, site cache
    for path, obj in edit_pages:
        log_action("admin.object.changed", site=w.site, actor=w.establishment_referent, obj=obj, data={"fields": ["x"]})
        page, few = _page(client, path)
        assert 'id="history-heading"' in page and "Changed in the admin" in page, path
        for _ in range(5):
            log_action("admin.object.changed", site=w.site, actor=w.operator, obj=obj, data={"fields": ["label"]})
        page, many = _page(client, path)
        assert few == many, path
        assert page.count("Changed in the admin") == 6, path


def test_the_site_pages_writes_leave_their_rows(client, ref_world):
    """Attestation types, charter versions (created, corrected, published), sign-in methods."""
    from apps.attestations.models import AttestationType
    from apps.federation.models import FederationSettings
    from apps.staff.models import Charter
    from tests.federation.conftest import RENATER_IDP, idp_metadata

    w = ref_world
    client.force_login(w.master_referent)
    attributes = {
        f.name: getattr(FederationSettings(), f.name) for f in FederationSettings._meta.fields if "_attr_" in f.name
    }
    sign_in = {**attributes, "local_pupils_enabled": "on", "cas_enabled": "on", "cas_version": "3"}
    sign_in |= {"cas_server_url": "https://cas.example.org/cas/", "cas_establishments": [w.master.pk]}
    kind = {"label": "Autorisation parentale", "minors_only": "on", "for_pupils_with_agreement": "on", "position": 2}

    def charter():
        return _one(w.site, Charter, version="2")

    def attestation_type():
        return _one(w.site, AttestationType, label__startswith="Autorisation")

    cases = [
        (url("attestation_types_create"), kind, "attestations.attestationtype.created", attestation_type, None),
        (
            lambda: url("attestation_types_edit", attestation_type().pk),
            {**kind, "label": "Autorisation des parents"},
            "attestations.attestationtype.changed",
            attestation_type,
            {"label": ["Autorisation parentale", "Autorisation des parents"]},
        ),
        (url("charters_create"), {"version": "2", "text": "Nouvelle charte"}, "staff.charter.created", charter, None),
        (
            lambda: url("charters_edit", charter().pk),
            {"version": "2", "text": "Texte revu"},
            "staff.charter.changed",
            charter,
            {"text": ["Nouvelle charte", "Texte revu"]},
        ),
        (lambda: url("charters_publish", charter().pk), None, "staff.charter.published", charter, None),
        (
            url("sign_in_settings"),
            {**sign_in, "shibboleth_metadata_xml": idp_metadata(RENATER_IDP)},
            "federation.federationsettings.changed",
            lambda: w.federation,
            None,
        ),
    ]
    for path, data, action, obj, changed in cases:
        response, rows = _rows_of(client, path() if callable(path) else path, data)
        assert response.status_code == 302, (action, response.status_code)
        assert [(row.action, row.object_id, row.actor_id) for row in rows] == [
            (action, str(obj().pk), w.master_referent.pk)
        ], action
        assert changed is None or rows[0].data == {"changed": changed}, rows[0].data
    settings_row = ActionLog.objects.with_scopes_disabled().get(action="federation.federationsettings.changed")
    assert settings_row.data["changed"]["cas_establishments"] == [[], [w.master.pk]]
    assert settings_row.data["changed"]["shibboleth_metadata_xml"] == ["…", "…"]  # named, not copied
    assert settings_row.data["changed"]["cas_enabled"] == [False, True]
