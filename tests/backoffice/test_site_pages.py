"""The site-management pages: attestation types, the charter's versions, the sign-in methods, the host names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.attestations.models import AttestationType
from apps.federation.models import FederationSettings
from apps.staff.models import Charter
from apps.tenancy.scoping import for_site
from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import ALLOWED, OTHERS_DENIED, PDF_BYTES, ROLES, STAFF_DENIED, sign_in, url

client = support.client
private_media = support.private_media
ref_world = support.ref_world

#: (URL name, method, arguments from the world): every page of the area.
PAGES = [
    ("host_names", "get", lambda w: ()),
    ("sign_in_settings", "get", lambda w: ()),
    ("sign_in_settings", "post", lambda w: ()),
    ("attestation_types", "get", lambda w: ()),
    ("attestation_types_create", "get", lambda w: ()),
    ("attestation_types_create", "post", lambda w: ()),
    ("attestation_types_edit", "get", lambda w: (w.attestation_type.pk,)),
    ("attestation_types_edit", "post", lambda w: (w.attestation_type.pk,)),
    ("charters", "get", lambda w: ()),
    ("charters_create", "get", lambda w: ()),
    ("charters_create", "post", lambda w: ()),
    ("charters_edit", "get", lambda w: (w.draft.pk,)),
    ("charters_edit", "post", lambda w: (w.draft.pk,)),
    ("charters_publish", "post", lambda w: (w.draft.pk,)),
]
URL_NAMES = sorted({name for name, _method, _args in PAGES})


def _rows(w):
    with for_site(w.site):
        w.attestation_type = AttestationType.objects.create(site=w.site, label=f"Autorisation {w.site.slug}")
        w.draft = Charter.objects.create(site=w.site, version=f"draft-{w.site.slug}", text="Brouillon")
    return w


@pytest.fixture
def site_world(ref_world, other_world):
    _rows(other_world)
    return _rows(ref_world)


def test_who_may_open_each_page(client, site_world, other_world):
    """One world for the whole matrix: refusals change nothing, so every role sees the same rows."""
    w = site_world
    for role in (*STAFF_DENIED, *OTHERS_DENIED, "anonymous", *ALLOWED):
        client.logout()
        sign_in(client, w, role)
        for name, method, args in PAGES:
            address = url(name, *args(w))
            response = client.post(address, {}) if method == "post" else client.get(address)
            if role in ALLOWED:
                # An empty form comes back with its errors; publishing is done once, then refused politely.
                assert response.status_code in ((400, 302) if method == "post" else (200,)), (role, name)
            elif role == "anonymous":
                assert response.status_code == 302 and "/sign-in/" in response["Location"], name
            else:
                assert role in ROLES and response.status_code == 403, (role, name)
    # Another site's rows are not found, even by the master referent of this one.
    sign_in(client, w, "master_referent")
    for name, method, args in PAGES:
        if args(w):
            address = url(name, *args(other_world))
            response = client.post(address, {}) if method == "post" else client.get(address)
            assert response.status_code == 404, name
    client.force_login(other_world.master_referent)  # on this site, a stranger
    assert client.get(url("attestation_types")).status_code == 403


def type_data(**changes):
    data = {
        "label": "Autorisation parentale",
        "description": "Signée par un parent",
        "for_pupils_with_agreement": "on",
        "minors_only": "on",
        "mandatory": "on",
        "is_active": "on",
        "position": 2,
    }
    data.update(changes)
    return data


def test_master_manages_attestation_types(client, site_world, other_world):
    w = site_world
    sign_in(client, w, "master_referent")
    template = SimpleUploadedFile("modele.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url("attestation_types_create"), {**type_data(), "template_file": template})
    assert response.status_code == 302
    with for_site(w.site):
        created = AttestationType.objects.get(site=w.site, label="Autorisation parentale")
    assert created.minors_only and not created.for_visitors and created.template_content_type == "application/pdf"
    page = client.get(url("attestation_types_edit", created.pk)).content.decode()
    assert 'id="template-link"' in page and "aria-invalid" not in page
    # A disguised file is refused by the upload check; a taken name by the per-site constraint.
    fake = SimpleUploadedFile("modele.pdf", b"<html><script>x</script></html>", content_type="application/pdf")
    response = client.post(url("attestation_types_edit", created.pk), {**type_data(), "template_file": fake})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    response = client.post(url("attestation_types_create"), type_data(label=w.attestation_type.label))
    assert response.status_code == 400
    # The same name on another site is no conflict; the list shows this site's types only.
    client.post(url("attestation_types_edit", created.pk), type_data(label=other_world.attestation_type.label))
    body = client.get(url("attestation_types")).content.decode()
    assert other_world.attestation_type.label in body and w.attestation_type.label in body
    with for_site(other_world.site):
        assert AttestationType.objects.filter(site=other_world.site).count() == 1


def test_master_writes_and_publishes_a_charter_version(client, site_world):
    w = site_world
    sign_in(client, w, "master_referent")
    response = client.post(url("charters_create"), {"version": "2", "text": "Nouvelle charte"})
    assert response.status_code == 302
    with for_site(w.site):
        new = Charter.objects.get(site=w.site, version="2")
    assert new.published_at is None
    assert client.post(url("charters_create"), {"version": "2", "text": "Doublon"}).status_code == 400
    assert client.post(url("charters_edit", new.pk), {"version": "2", "text": "Texte revu"}).status_code == 302
    assert client.post(url("charters_publish", new.pk)).status_code == 302
    new.refresh_from_db()
    assert new.text == "Texte revu" and new.published_at is not None
    # Published: the text that was signed stays as it was; publishing twice changes nothing.
    published_at = new.published_at
    response = client.post(url("charters_edit", new.pk), {"version": "2", "text": "Changé"})
    assert response.status_code == 302
    assert client.post(url("charters_publish", new.pk)).status_code == 302
    new.refresh_from_db()
    assert new.text == "Texte revu" and new.published_at == published_at
    page = client.get(url("charters_edit", new.pk)).content.decode()
    assert 'id="published-note"' in page and "disabled" in page
    # The new version is the one to sign: the host referent is sent to the charter page.
    client.force_login(w.host_referent)
    assert client.get(url("slots_list"))["Location"].endswith("/back-office/staff/charter/")


def test_master_sets_the_sign_in_methods(client, site_world, other_world):
    w = site_world
    sign_in(client, w, "master_referent")
    page = client.get(url("sign_in_settings")).content.decode()
    assert w.master.label in page and other_world.master.label not in page  # CAS: this site's establishments
    response = client.post(url("sign_in_settings"), {"local_pupils_enabled": "on", "cas_enabled": "on"})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    attributes = [f.name for f in FederationSettings._meta.fields if "_attr_" in f.name]
    data = {
        **{name: getattr(FederationSettings(), name) for name in attributes},
        "local_pupils_enabled": "on",
        "cas_enabled": "on",
        "cas_server_url": "https://cas.example.org/cas/",
        "cas_version": "3",
        "cas_establishments": [w.master.pk],
        "shibboleth_for_staff": "on",
    }
    assert client.post(url("sign_in_settings"), data).status_code == 302
    with for_site(w.site):
        settings = FederationSettings.objects.get(site=w.site)
        assert settings.cas_enabled and list(settings.cas_establishments.all()) == [w.master]
    response = client.post(url("sign_in_settings"), {**data, "cas_establishments": [other_world.master.pk]})
    assert response.status_code == 400  # another site's establishment is no choice


def test_host_names_are_shown_read_only(client, site_world, other_world):
    sign_in(client, site_world, "master_referent")
    body = client.get(url("host_names")).content.decode()
    assert "alpha.localhost" in body and "beta.localhost" not in body
    assert "<form" not in body.split('id="host-names"')[1]


def test_constant_queries(client, site_world):
    w = site_world
    sign_in(client, w, "master_referent")
    pages = ("attestation_types", "charters", "host_names", "sign_in_settings")

    def counts():
        found = {}
        for name in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name)).status_code == 200
            found[name] = len(queries)
        return found

    client.get(url("host_names"))  # the host name is resolved once, then cached
    few = counts()
    with for_site(w.site):
        for n in range(5):
            AttestationType.objects.create(site=w.site, label=f"Type {n}")
            Charter.objects.create(site=w.site, version=f"v{n}", text="x", published_at=timezone.now())
    assert counts() == few
