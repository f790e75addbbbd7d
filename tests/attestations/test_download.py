"""Who may read a document: its owner, the validators of the owner's record, the master referent."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from apps.attestations.services import upload_attestation
from apps.tenancy.scoping import for_site

from .conftest import PDF, image_bytes, make_pupil, upload

pytestmark = pytest.mark.django_db

BETA = "beta.localhost"


def url(attestation):
    return reverse("attestations:download", args=[attestation.pk])


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def document(world, types):
    """A document of ``world.pupil`` (pupil of a high school with an agreement)."""
    with for_site(world.site):
        return upload_attestation(
            world.site, world.pupil, types.parental, upload(PDF, 'C:\\Users\\x\\../Autorisation "signée"\r\n.pdf')
        )


@pytest.mark.parametrize("who", ["pupil", "high_school_referent", "master_referent", "operator"])
def test_the_owner_the_validator_and_the_master_referent_may_download(client, world, document, who):
    client.force_login(getattr(world, who))
    response = client.get(url(document))
    assert response.status_code == 200
    assert body(response) == PDF


def test_the_response_is_a_private_attachment(client, world, document):
    client.force_login(world.pupil)
    response = client.get(url(document))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Autorisation%20_sign%C3%A9e.pdf" in disposition
    for unsafe in ('"sign', "\r", "\n", "..", "/", "\\"):
        assert unsafe not in disposition.split(";", 1)[1]


@pytest.mark.parametrize(
    "who",
    [
        "other_pupil",
        "host_high_school_referent",  # a high-school referent of another school
        "structure_referent",
        "consultant",
        "speaker",
        "legal",
        "establishment_referent",  # validates pupils of schools WITHOUT an agreement only
        "host_referent",
        "student",
        "visitor",
    ],
)
def test_anybody_else_gets_a_404(client, world, document, who):
    client.force_login(getattr(world, who))
    response = client.get(url(document))
    assert response.status_code == 404
    assert PDF not in response.content


def test_anonymous_is_sent_to_sign_in(client, world, document):
    response = client.get(url(document))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_another_sites_master_referent_gets_a_404_on_both_hosts(client, world, other_world, document):
    client.force_login(other_world.master_referent)
    assert client.get(url(document), HTTP_HOST=BETA).status_code == 404
    assert client.get(url(document)).status_code == 404


def test_an_id_of_another_site_is_not_found_here(client, world, other_world, other_types):
    with for_site(other_world.site):
        theirs = upload_attestation(other_world.site, other_world.pupil, other_types.parental, upload())
    client.force_login(world.master_referent)
    assert client.get(url(theirs)).status_code == 404
    client.force_login(other_world.master_referent)
    assert client.get(url(theirs), HTTP_HOST=BETA).status_code == 200


def test_pupils_of_a_school_without_an_agreement_are_read_by_the_establishment_referents(client, world, types):
    pupil, _record = make_pupil(world, high_school=world.host_high_school)
    with for_site(world.site):
        document = upload_attestation(world.site, pupil, types.no_agreement, upload(image_bytes("PNG"), "a.png"))
    for who, status in [("establishment_referent", 200), ("high_school_referent", 404), ("master_referent", 200)]:
        client.force_login(getattr(world, who))
        response = client.get(url(document))
        assert response.status_code == status, who
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="a.png"'


def test_visitors_documents_are_read_by_the_master_referent_only(client, world, types):
    with for_site(world.site):
        document = upload_attestation(world.site, world.visitor, types.visitor, upload())
    for who, status in [("visitor", 200), ("master_referent", 200), ("high_school_referent", 404), ("pupil", 404)]:
        client.force_login(getattr(world, who))
        assert client.get(url(document)).status_code == status, who


def test_archived_versions_stay_readable_by_the_same_people(client, world, types, document):
    with for_site(world.site):
        upload_attestation(world.site, world.pupil, types.parental, upload(image_bytes("JPEG"), "b.jpg"))
    for who, status in [("pupil", 200), ("high_school_referent", 200), ("other_pupil", 404)]:
        client.force_login(getattr(world, who))
        assert client.get(url(document)).status_code == status, who


def test_a_file_missing_on_disk_is_a_404_not_a_500(client, world, document):
    document.file.storage.delete(document.file.name)
    client.force_login(world.pupil)
    assert client.get(url(document)).status_code == 404


def test_only_get_is_allowed(client, world, document):
    client.force_login(world.pupil)
    assert client.post(url(document)).status_code == 405
