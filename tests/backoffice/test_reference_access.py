"""Who may open each page of the master referent's area: the master referent and the
operator; every other role 403; anonymous people the sign-in page; another site's rows 404."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import ALLOWED, OTHERS_DENIED, ROLES, STAFF_DENIED, sign_in, url

client = support.client
private_media = support.private_media
ref_world = support.ref_world  # the area's fixtures
class_ref_world = support.class_ref_world

#: (URL name, method, function of a world giving the URL arguments on that world's rows)
PAGES = [
    ("reference_index", "get", lambda w: ()),
    ("reference_list", "get", lambda w: ("high-school-levels",)),
    ("reference_create", "get", lambda w: ("course-types",)),
    ("reference_edit", "get", lambda w: ("course-types", w.course_type.pk)),
    ("reference_delete", "get", lambda w: ("course-types", w.course_type.pk)),
    ("reference_set_flag", "post", lambda w: ("course-types", w.course_type.pk)),
    ("reference_subdomain_create", "get", lambda w: (w.domain.pk,)),
    ("reference_subdomain_edit", "get", lambda w: (w.domain.pk, w.subdomain.pk)),
    ("reference_subdomain_delete", "get", lambda w: (w.domain.pk, w.subdomain.pk)),
    ("reference_subdomain_set_flag", "post", lambda w: (w.domain.pk, w.subdomain.pk)),
    ("reference_years", "get", lambda w: ()),
    ("reference_year_create", "get", lambda w: ()),
    ("reference_year_edit", "get", lambda w: (w.year.pk,)),
    ("reference_year_delete", "get", lambda w: (w.year.pk,)),
    ("reference_year_part_create", "get", lambda w: (w.year.pk, "periods")),
    ("reference_year_part_edit", "get", lambda w: (w.year.pk, "periods", w.period.pk)),
    ("reference_year_part_delete", "get", lambda w: (w.year.pk, "periods", w.period.pk)),
    ("reference_site_settings", "get", lambda w: ()),
    ("content_index", "get", lambda w: ()),
    ("content_list", "get", lambda w: ("pages",)),
    ("content_create", "get", lambda w: ("documents",)),
    ("content_edit", "get", lambda w: ("pages", w.page.pk)),
    ("content_delete", "get", lambda w: ("faq", w.faq_entry.pk)),
    ("content_set_flag", "post", lambda w: ("documents", w.document.pk)),
    ("content_document_file", "get", lambda w: (w.document.pk,)),
]
URL_NAMES = [name for name, _method, _args in PAGES]


def _request(client, method, path):
    return client.post(path, {"value": "1"}) if method == "post" else client.get(path)


ROW_PAGES = [
    page
    for page in PAGES
    if page[0]
    not in {
        "reference_index",
        "reference_list",
        "reference_create",
        "reference_years",
        "reference_year_create",
        "reference_site_settings",
        "content_index",
        "content_list",
        "content_create",
    }
]


class TestMatrix:
    """One pair of sites for the whole matrix: each case runs in a savepoint rolled back after it."""

    @pytest.fixture
    def ref_world(self, class_ref_world, db):
        return class_ref_world

    @pytest.fixture
    def other_world(self, class_other_world, db):
        return class_other_world

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize(("name", "method", "args"), PAGES, ids=URL_NAMES)
    def test_matrix_on_own_site(self, client, ref_world, other_world, role, name, method, args):
        w = ref_world
        sign_in(client, w, role)
        response = _request(client, method, url(name, *args(w)))
        if role in ALLOWED:
            assert response.status_code == (302 if method == "post" else 200)
        elif role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        else:
            assert role in STAFF_DENIED + OTHERS_DENIED
            assert response.status_code == 403

    @pytest.mark.parametrize("role", ALLOWED)
    @pytest.mark.parametrize(("name", "method", "args"), ROW_PAGES, ids=[p[0] for p in ROW_PAGES])
    def test_another_sites_rows_are_not_found(self, client, ref_world, other_world, role, name, method, args):
        sign_in(client, ref_world, role)
        response = _request(client, method, url(name, *args(other_world)))
        assert response.status_code == 404

    @pytest.mark.parametrize("role", ("establishment_referent", "pupil"))
    @pytest.mark.parametrize(("name", "method", "args"), ROW_PAGES, ids=[p[0] for p in ROW_PAGES])
    def test_another_sites_rows_as_other_roles(self, client, ref_world, other_world, role, name, method, args):
        sign_in(client, ref_world, role)
        response = _request(client, method, url(name, *args(other_world)))
        assert response.status_code in (403, 404)

    def test_unknown_kinds_are_not_found(self, client, ref_world):
        sign_in(client, ref_world, "master_referent")
        assert client.get(url("reference_list", "no-such-kind")).status_code == 404
        assert client.get(url("reference_list", "subdomains")).status_code == 404
        assert client.get(url("content_list", "no-such-kind")).status_code == 404
        assert client.get(url("reference_year_part_create", ref_world.year.pk, "nothing")).status_code == 404

    def test_master_of_another_site_is_refused(self, client, ref_world, other_world):
        # beta's master referent on alpha's host: they hold no role here.
        sign_in(client, other_world, "master_referent")
        assert client.get(url("reference_index")).status_code == 403
        assert client.get(url("content_edit", "pages", ref_world.page.pk)).status_code == 403

    def test_changes_need_post(self, client, ref_world):
        sign_in(client, ref_world, "master_referent")
        assert client.get(url("reference_set_flag", "course-types", ref_world.course_type.pk)).status_code == 405
        assert client.get(url("content_set_flag", "pages", ref_world.page.pk)).status_code == 405
