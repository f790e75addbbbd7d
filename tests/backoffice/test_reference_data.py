"""Reference data pages: create, edit, delete (refused when in use), deactivate, per-site
uniqueness as form errors, subdomains within their domain, constant list queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.referentials import models as ref
from apps.tenancy.scoping import for_site
from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import sign_in, url

client = support.client
private_media = support.private_media
ref_world = support.ref_world  # the area's fixtures

#: One valid creation per kind.
NEW_ROWS = {
    "high-school-levels": {"label": "Seconde", "position": 1, "mefstat4_codes": "2111", "is_active": "on"},
    "post-bac-levels": {"label": "BTS 1", "position": 0, "is_active": "on"},
    "student-levels": {"label": "L1", "position": 0, "is_active": "on"},
    "bachelor-types": {"label": "Général", "kind": "general", "position": 0, "is_active": "on"},
    "series": {"code": "STI2D", "label": "Sciences et technologies", "position": 0, "is_active": "on"},
    "specialities": {"label": "Mathématiques", "position": 0, "is_active": "on"},
    "domains": {"label": "Arts", "position": 0, "is_active": "on"},
    "course-types": {"code": "TD", "label": "Travaux dirigés", "position": 0, "is_active": "on"},
    "event-types": {"label": "Conférence", "position": 0, "is_active": "on"},
    "public-types": {"label": "Parent", "position": 0, "is_active": "on"},
    "cancellation-reasons": {"label": "Malade", "usable_by_registrants": "on", "position": 0, "is_active": "on"},
}
MODELS = {
    "high-school-levels": ref.HighSchoolLevel,
    "post-bac-levels": ref.PostBachelorLevel,
    "student-levels": ref.StudentLevel,
    "bachelor-types": ref.BachelorType,
    "series": ref.TechnologicalSeries,
    "specialities": ref.GeneralSpeciality,
    "domains": ref.TrainingDomain,
    "course-types": ref.CourseType,
    "event-types": ref.EventType,
    "public-types": ref.PublicType,
    "cancellation-reasons": ref.CancellationReason,
}


@pytest.fixture
def master(client, ref_world):
    return sign_in(client, ref_world, "master_referent")


@pytest.mark.parametrize("kind", list(NEW_ROWS))
def test_create_list_edit_delete_each_kind(master, ref_world, kind):
    w, model = ref_world, MODELS[kind]
    response = master.post(url("reference_create", kind), NEW_ROWS[kind])
    assert response.status_code == 302, response.context["form"].errors
    with for_site(w.site):
        row = model.objects.get(label=NEW_ROWS[kind]["label"])
    assert row.site == w.site
    listing = master.get(url("reference_list", kind) + "?q=")
    assert listing.status_code == 200
    assert f'data-pk="{row.pk}"' in listing.content.decode()
    changed = {**NEW_ROWS[kind], "label": NEW_ROWS[kind]["label"] + " (bis)"}
    assert master.post(url("reference_edit", kind, row.pk), changed).status_code == 302
    row.refresh_from_db()
    assert row.label.endswith("(bis)")
    assert master.post(url("reference_delete", kind, row.pk)).status_code == 302
    with for_site(w.site):
        assert not model.objects.filter(pk=row.pk).exists()


def test_same_label_is_a_form_error_on_one_site_but_allowed_on_two(master, ref_world, other_world):
    data = {"code": "XX", "label": "Cours magistral", "position": 0, "is_active": "on"}
    response = master.post(url("reference_create", "course-types"), data)
    assert response.status_code == 200
    assert response.context["form"].errors  # label taken on this site
    data = {"code": "CM", "label": "Autre", "position": 0, "is_active": "on"}
    response = master.post(url("reference_create", "course-types"), data)
    assert "code" in response.context["form"].errors or response.context["form"].non_field_errors()
    # beta has "Cours magistral" too (same factory): each site has its own list.
    with for_site(other_world.site):
        assert ref.CourseType.objects.filter(label="Cours magistral").exists()


def test_new_label_unique_within_site_only(master, ref_world, other_world):
    with for_site(other_world.site):
        ref.EventType.objects.create(site=other_world.site, label="Salon")
    response = master.post(url("reference_create", "event-types"), {"label": "Salon", "position": 0})
    assert response.status_code == 302
    response = master.post(url("reference_create", "event-types"), {"label": "Salon", "position": 0})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_cancellation_reason_must_be_usable_by_someone(master):
    response = master.post(url("reference_create", "cancellation-reasons"), {"label": "Nobody", "position": 0})
    assert response.status_code == 200
    assert "usable_by_registrants" in response.context["form"].errors


def test_deleting_a_row_in_use_is_refused_with_deactivation_offered(master, ref_world):
    w = ref_world
    target = url("reference_delete", "course-types", w.course_type.pk)
    page = master.get(target)
    assert 'id="in-use"' in page.content.decode() and 'id="deactivate"' in page.content.decode()
    response = master.post(target)
    assert response.status_code == 409
    assert "Slots" in response.content.decode()
    with for_site(w.site):
        assert ref.CourseType.objects.filter(pk=w.course_type.pk).exists()
    master.post(url("reference_set_flag", "course-types", w.course_type.pk), {"value": "0"})
    w.course_type.refresh_from_db()
    assert not w.course_type.is_active


def test_a_level_used_in_a_slot_restriction_is_not_deleted(master, ref_world):
    w = ref_world
    with for_site(w.site):
        level = ref.HighSchoolLevel.objects.create(site=w.site, label="Première")
        w.slot.allowed_high_school_levels.add(level)
    response = master.post(url("reference_delete", "high-school-levels", level.pk))
    assert response.status_code == 409
    with for_site(w.site):
        assert w.slot.allowed_high_school_levels.filter(pk=level.pk).exists()


def test_a_domain_with_subdomains_is_not_deleted(master, ref_world):
    response = master.post(url("reference_delete", "domains", ref_world.domain.pk))
    assert response.status_code == 409


def test_subdomains_within_their_domain(master, ref_world):
    w = ref_world
    page = master.get(url("reference_edit", "domains", w.domain.pk))
    assert w.subdomain.label in page.content.decode()
    response = master.post(url("reference_subdomain_create", w.domain.pk), {"label": "Physique", "position": 1})
    assert response.status_code == 302
    with for_site(w.site):
        physics = ref.TrainingSubdomain.objects.get(label="Physique")
    assert physics.domain == w.domain
    # Same label in the same domain: a form error, not a 500.
    response = master.post(url("reference_subdomain_create", w.domain.pk), {"label": "Physique", "position": 1})
    assert response.status_code == 200 and response.context["form"].errors
    master.post(url("reference_subdomain_edit", w.domain.pk, physics.pk), {"label": "Chimie", "position": 2})
    physics.refresh_from_db()
    assert physics.label == "Chimie"
    # The subdomain used by a training cannot go; the unused one can.
    assert master.post(url("reference_subdomain_delete", w.domain.pk, w.subdomain.pk)).status_code == 409
    assert master.post(url("reference_subdomain_delete", w.domain.pk, physics.pk)).status_code == 302


def test_a_subdomain_is_reached_through_its_own_domain_only(master, ref_world):
    w = ref_world
    with for_site(w.site):
        other_domain = ref.TrainingDomain.objects.create(site=w.site, label="Lettres")
    assert master.get(url("reference_subdomain_edit", other_domain.pk, w.subdomain.pk)).status_code == 404


def test_filters(master, ref_world):
    w = ref_world
    with for_site(w.site):
        ref.EventType.objects.create(site=w.site, label="Ancien salon", is_active=False)
    body = master.get(url("reference_list", "event-types") + "?state=no").content.decode()
    assert "Ancien salon" in body and "Journée portes ouvertes" not in body
    body = master.get(url("reference_list", "event-types") + "?q=portes&state=").content.decode()
    assert "Journée portes ouvertes" in body and "Ancien salon" not in body
    body = master.get(url("reference_list", "event-types") + "?sort=-label").content.decode()
    assert body.index("Journée portes ouvertes") < body.index("Ancien salon")


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["domains", "cancellation-reasons", "high-school-levels"])
def test_list_queries_are_constant(master, ref_world, kind):
    w, model = ref_world, MODELS[kind]
    path = url("reference_list", kind) + "?q="

    def add(n, start):
        with for_site(w.site):
            for i in range(start, start + n):
                extra = {"usable_by_registrants": True} if kind == "cancellation-reasons" else {}
                row = model.objects.create(site=w.site, label=f"Row {i:03}", **extra)
                if kind == "domains":
                    ref.TrainingSubdomain.objects.create(site=w.site, domain=row, label=f"Sub {i}")

    add(3, 0)
    _count(master, path)  # first visit: the saved filters are created
    few = _count(master, path)
    add(27, 3)
    assert _count(master, path) == few


@pytest.mark.parametrize("kind", list(NEW_ROWS))
def test_every_page_of_each_kind_renders(master, ref_world, kind):
    with for_site(ref_world.site):
        row = (
            MODELS[kind].objects.create(site=ref_world.site, label="Rendered", usable_by_registrants=True)
            if (kind == "cancellation-reasons")
            else MODELS[kind].objects.create(site=ref_world.site, label="Rendered")
        )
    for path in (
        url("reference_index"),
        url("reference_list", kind),
        url("reference_create", kind),
        url("reference_edit", kind, row.pk),
        url("reference_delete", kind, row.pk),
    ):
        response = master.get(path, follow=True)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1
