"""The back-office editor of the site's messages: rights, texts, preview, save, reset."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.notifications.models import MessageTemplate
from apps.notifications.services import send_message
from apps.tenancy.scoping import for_site, platform_job

URL_NAMES = [
    "notifications:message_list",
    "notifications:message_detail",
    "notifications:message_edit",
    "notifications:message_reset",
]
KEY = "registration_cancelled"
LIST = reverse("notifications:message_list")
DETAIL = reverse("notifications:message_detail", args=[KEY])
EDIT_FR = reverse("notifications:message_edit", args=[KEY, "fr"])
RESET_FR = reverse("notifications:message_reset", args=[KEY, "fr"])
OWN = {"fr-subject": "Annulation — {{ slot_label }}", "fr-body": "Bonjour {{ first_name }}, c'est annulé.\n"}


def _own_text(site, **fields):
    with platform_job():
        return MessageTemplate.objects.create(site=site, key=KEY, language="fr", **fields)


def _texts(site):
    with for_site(site):
        return list(MessageTemplate.objects.filter(site=site).values_list("key", "language", "subject", "body"))


@pytest.mark.parametrize("who", ["master_referent", "operator"])
def test_the_master_referent_and_the_operator_see_every_message(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    for key in ("account_activation", "registration_cancelled", "registration_disability_notice", "slot_changed"):
        assert f'data-key="{key}"' in content
    assert client.get(DETAIL).status_code == 200


@pytest.mark.parametrize("who", ["establishment_referent", "structure_referent", "host_referent", "speaker"])
def test_other_staff_may_not(client, world, who):
    client.force_login(getattr(world, who))
    for url in (LIST, DETAIL, EDIT_FR, RESET_FR):
        assert client.get(url).status_code == 403, url
    assert client.post(EDIT_FR, {**OWN, "save": "1"}).status_code == 403
    assert client.post(RESET_FR).status_code == 403
    assert _texts(world.site) == []


def test_pupils_and_anonymous_may_not(client, world):
    assert client.get(LIST).status_code == 302  # to the sign-in page
    assert client.post(EDIT_FR, {**OWN, "save": "1"}).status_code == 302
    client.force_login(world.pupil)
    assert client.get(LIST).status_code == 403
    assert client.post(EDIT_FR, {**OWN, "save": "1"}).status_code == 403
    assert _texts(world.site) == []


def test_unknown_message_or_language_is_404(client, world):
    client.force_login(world.master_referent)
    assert client.get(reverse("notifications:message_detail", args=["no_such_message"])).status_code == 404
    assert client.post(reverse("notifications:message_edit", args=[KEY, "de"]), OWN).status_code == 404


def test_the_list_shows_which_languages_have_the_sites_own_text(client, world, django_assert_num_queries):
    client.force_login(world.master_referent)
    client.get(LIST)
    with django_assert_num_queries(_count_queries(client)):
        client.get(LIST)
    _own_text(world.site, subject="x", body="y")
    response = client.get(LIST)
    row = response.content.decode().split(f'data-key="{KEY}"')[1].split("</tr>")[0]
    assert row.count("own-text") == 1


def _count_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    return len(queries)


def test_the_page_documents_the_variables_and_shows_the_default_text_in_each_language(client, world):
    client.force_login(world.master_referent)
    content = client.get(DETAIL).content.decode()
    assert "first_name" in content and "Camille" in content  # a variable and its sample
    assert "Votre inscription est annulée" in content  # the French default
    assert "Your registration is cancelled" in content  # the English default
    assert content.count("default-text") == 2 and "own-text" not in content
    assert "Plus d&#x27;intérêt" not in content
    assert "Absence de l&#x27;enseignant" in content  # the preview, with the sample reason


def test_saving_a_text_uses_it_for_this_site_only(client, world, other_world, django_capture_on_commit_callbacks):
    client.force_login(world.master_referent)
    response = client.post(EDIT_FR, {**OWN, "save": "1"})
    assert response.status_code == 302
    text = _texts(world.site)
    assert text == [(KEY, "fr", OWN["fr-subject"], OWN["fr-body"])]
    with for_site(world.site):
        assert MessageTemplate.objects.get(site=world.site).updated_by == world.master_referent
    content = client.get(DETAIL).content.decode()
    assert content.count("own-text") == 1 and "c&#x27;est annulé" in content
    assert content.count("default-version") == 1 and "Votre inscription est annulée" in content  # for reference
    with for_site(world.site):
        send_message(
            KEY, to=world.pupil, site=world.site, context={"registration": world.registration, "slot": world.slot}
        )
    assert mail.outbox[-1].subject == "Annulation — Algorithmique"
    assert mail.outbox[-1].body == f"Bonjour {world.pupil.first_name}, c'est annulé.\n"
    # English is unchanged, and so is the other site.
    with for_site(world.site):
        send_message(
            KEY,
            to=world.pupil,
            site=world.site,
            language="en",
            context={"registration": world.registration, "slot": world.slot},
        )
    assert mail.outbox[-1].subject.startswith("Registration cancelled")
    with for_site(other_world.site):
        send_message(
            KEY,
            to=other_world.pupil,
            site=other_world.site,
            context={"registration": other_world.registration, "slot": other_world.slot},
        )
    assert "Annulation —" not in mail.outbox[-1].subject
    client.force_login(other_world.master_referent)
    response = client.get(reverse("notifications:message_detail", args=[KEY]), HTTP_HOST="beta.localhost")
    assert response.status_code == 200 and "c&#x27;est annulé" not in response.content.decode()
    assert "own-text" not in response.content.decode()


def test_the_master_referent_of_another_site_may_not_edit_this_one(client, world, other_world):
    client.force_login(other_world.master_referent)
    assert client.get(DETAIL).status_code == 403
    assert client.post(EDIT_FR, {**OWN, "save": "1"}).status_code == 403
    assert _texts(world.site) == []


def test_preview_renders_the_draft_without_saving(client, world):
    client.force_login(world.master_referent)
    response = client.post(EDIT_FR, {**OWN, "preview": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Annulation — Algorithmique" in content  # the draft subject with the sample slot
    assert "Bonjour Camille, c&#x27;est annulé." in content
    assert _texts(world.site) == []


@pytest.mark.parametrize(
    "body, error",
    [
        ("{% load i18n %}Bonjour", "ne peut pas être lu"),
        ("Bonjour {{ registration.person.email }}", "Variables inconnues : registration.person.email."),
        ("Bonjour {{ password }}", "Variables inconnues : password."),
        ("Bonjour {% if secret %}x{% endif %}", "Variables inconnues : secret."),
        ("Bonjour {{ first_name|upper }}", "ne peut pas être lu"),
        ("Bonjour {% if first_name %}", "ne peut pas être lu"),
        ("Bonjour {{ first_name ", "Accolades mal placées"),
        ("{% url 'accounts:login' %}", "ne peut pas être lu"),
    ],
)
def test_invalid_texts_are_refused_with_a_french_error(client, world, body, error):
    client.force_login(world.master_referent)
    for data in ({**OWN, "fr-body": body}, {**OWN, "fr-subject": body}):
        response = client.post(EDIT_FR, {**data, "save": "1"})
        assert response.status_code == 400
        assert error in response.content.decode().replace("&#x27;", "'")
    assert _texts(world.site) == []


def test_reset_brings_the_default_back_after_confirmation(client, world, other_world):
    own = _own_text(world.site, subject="Annulé", body="Texte du site")
    _own_text(other_world.site, subject="Autre", body="Autre site")
    client.force_login(world.master_referent)
    response = client.get(RESET_FR)
    assert response.status_code == 200 and 'id="confirm-reset"' in response.content.decode()
    assert _texts(world.site) != []  # a GET changes nothing
    assert client.post(RESET_FR).status_code == 302
    assert _texts(world.site) == []
    assert len(_texts(other_world.site)) == 1
    with for_site(world.site):
        send_message(
            KEY, to=world.pupil, site=world.site, context={"registration": world.registration, "slot": world.slot}
        )
    assert "Votre inscription est annulée" in mail.outbox[-1].body
    assert own.subject not in mail.outbox[-1].subject
    assert 'id="confirm-reset"' not in client.get(RESET_FR).content.decode()


def test_the_preview_escapes_html(client, world):
    client.force_login(world.master_referent)
    body = "<script>alert(1)</script> {{ first_name }}"
    content = client.post(EDIT_FR, {**OWN, "fr-body": body, "preview": "1"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Camille" in content
