"""The site settings page: what the master referent may change, and the logo checks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.tenancy.models import Site
from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import PDF_BYTES, sign_in, url

client = support.client
private_media = support.private_media
ref_world = support.ref_world  # the area's fixtures


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def settings_data(**changes):
    data = {
        "tagline": "Découvrir l'université",
        "welcome_text": "Bienvenue",
        "footer_text": "Pied de page",
        "primary_colour": "#123456",
        "secondary_colour": "#abcdef",
        "contact_email": "contact@example.org",
        "sender_email": "no-reply@example.org",
        "individual_registrations_enabled": "on",
        "waiting_list_enabled": "on",
        "waiting_list_claim_hours": 12,
        "training_quota_enabled": "on",
        "training_quota": 3,
        "remote_link_lead_minutes": 15,
        "reminder_days_before": 3,
        "document_expiry_warning_days": 10,
        "survey_after_slot_url": "survey.example.org/after",
        "survey_end_of_year_url": "",
    }
    data.update(changes)
    return data


def png(size=(20, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_master_changes_the_settings_of_their_site(client, ref_world, other_world, media):
    sign_in(client, ref_world, "master_referent")
    response = client.post(url("reference_site_settings"), {**settings_data(), "logo": png()})
    assert response.status_code == 302
    site = Site.objects.get(pk=ref_world.site.pk)
    assert site.tagline == "Découvrir l'université" and site.primary_colour == "#123456"
    assert not site.group_registrations_enabled and site.training_quota == 3
    assert site.reminder_days_before == 3 and site.survey_after_slot_url == "https://survey.example.org/after"
    assert site.logo.name.startswith("sites/logos/")
    # The name and the slug are not on the form; the other site is untouched.
    assert site.name == ref_world.site.name and site.slug == ref_world.site.slug
    assert Site.objects.get(pk=other_world.site.pk).tagline == ""
    # The new branding is served at once (the site cache is refreshed).
    assert "#123456" in client.get("/").content.decode()


def test_identity_fields_cannot_be_posted(client, ref_world):
    sign_in(client, ref_world, "master_referent")
    client.post(url("reference_site_settings"), settings_data(name="Hacked", slug="hacked", is_active=""))
    site = Site.objects.get(pk=ref_world.site.pk)
    assert site.name != "Hacked" and site.slug != "hacked" and site.is_active


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"primary_colour": "red"}, "primary_colour"),
        ({"training_quota": 0}, "training_quota"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"waiting_list_claim_hours": -1}, "waiting_list_claim_hours"),
    ],
)
def test_bad_values_are_form_errors(client, ref_world, changes, field):
    sign_in(client, ref_world, "master_referent")
    response = client.post(url("reference_site_settings"), settings_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Site.objects.get(pk=ref_world.site.pk).tagline == ""


def test_a_logo_must_be_a_real_image_and_small(client, ref_world, media, settings):
    sign_in(client, ref_world, "master_referent")
    fake = SimpleUploadedFile("logo.png", PDF_BYTES, content_type="image/png")
    response = client.post(url("reference_site_settings"), {**settings_data(), "logo": fake})
    assert "logo" in response.context["form"].errors
    settings.MAX_UPLOAD_SIZE = 50
    response = client.post(url("reference_site_settings"), {**settings_data(), "logo": png((200, 200))})
    assert "logo" in response.context["form"].errors
    assert not Site.objects.get(pk=ref_world.site.pk).logo
