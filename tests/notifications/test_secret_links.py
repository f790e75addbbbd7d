"""Single-use links never stay usable in the outbox: the e-mail carries them, the stored copy does not.

Once a message is sent (or failed for good), its stored subject and body hold its links
masked; the admin never shows them, even while the message waits; a failed message whose link
was masked is not sent again with a dead link.
"""

import datetime as dt
import re
import socket

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.notifications import delivery
from apps.notifications.masking import MASK
from apps.notifications.models import MessageTemplate, OutgoingMessage
from apps.tenancy.scoping import for_site

RESET = reverse("accounts:password_reset")
RESET_LINK = re.compile(r"https?://[^/\s]+(/account/password/reset/([^/\s]+)/)")
INVITATION_LINK = re.compile(r"https?://[^/\s]+(/back-office/staff/invitation/([^/\s]+)/)")


def link(pattern, text):
    """(path, token) of the one link of this kind in a text."""
    (found,) = pattern.findall(text)
    return found


def outbox_row(key):
    return OutgoingMessage.objects.get(key=key)


def admin_page(client, operator, message):
    client.force_login(operator)
    page = client.get(reverse("admin:notifications_outgoingmessage_change", args=[message.pk]))
    client.logout()
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def refusing_server(settings):
    """A mail server address where nothing listens: every delivery fails at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    return port


def test_a_sent_reset_link_works_from_the_email_only(client, world):
    assert client.post(RESET, {"email": world.pupil.email}).status_code == 302
    (email,) = mail.outbox
    path, token = link(RESET_LINK, email.body)

    stored = outbox_row("password_reset")
    assert stored.status == OutgoingMessage.Status.SENT and stored.secrets_masked and stored.secrets == []
    assert token not in stored.body and token not in stored.subject
    masked_path, masked_token = link(RESET_LINK, stored.body)
    assert masked_token == MASK and masked_path == path.replace(token, MASK)
    assert client.get(masked_path, follow=True).status_code == 410  # the stored copy opens nothing
    assert token not in admin_page(client, world.operator, stored)
    assert client.get(path, follow=True).status_code == 200  # the e-mail's link works


def test_a_site_text_cannot_hide_a_link_from_the_masking(client, world):
    with for_site(world.site):
        for language in ("fr", "en"):
            MessageTemplate.objects.create(
                site=world.site,
                key="password_reset",
                language=language,
                subject="Reset",
                body="Bonjour {{ first_name }} (lien : <{{ reset_url }}>), ou encore {{ reset_url }}.",
            )
    client.post(RESET, {"email": world.pupil.email})
    (email,) = mail.outbox
    token = RESET_LINK.findall(email.body.replace("<", " ").replace(">", " "))[0][1]
    assert email.body.count(token) == 2
    stored = outbox_row("password_reset")
    assert token not in stored.body and stored.body.count(MASK) == 2


def test_a_waiting_link_is_kept_for_sending_but_never_shown_then_masked_when_failed(
    client, world, refusing_server, settings
):
    client.post(RESET, {"email": world.pupil.email})
    stored = outbox_row("password_reset")
    assert stored.status == OutgoingMessage.Status.PENDING and stored.attempts == 1
    _path, token = link(RESET_LINK, stored.body)  # still needed to send it
    page = admin_page(client, world.operator, stored)
    assert token not in page and MASK in page

    now = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        now += dt.timedelta(hours=4)
        delivery.flush_outbox(now=now)
    stored.refresh_from_db()
    assert stored.status == OutgoingMessage.Status.FAILED and stored.attempts == delivery.MAX_ATTEMPTS
    assert token not in stored.body and MASK in stored.body and stored.secrets == []

    # The operator's "send again" refuses it, and says why.
    client.force_login(world.operator)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("admin:notifications_outgoingmessage_changelist"),
        {"action": "retry", "_selected_action": [stored.pk]},
        follow=True,
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("new link" in text for text in texts), texts
    stored.refresh_from_db()
    assert stored.status == OutgoingMessage.Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.flush_outbox(now=now + dt.timedelta(hours=4))["sent"] == 0
    assert mail.outbox == []


def test_an_invitation_link_is_masked_once_sent(client, world):
    client.force_login(world.establishment_referent)
    response = client.post(
        reverse("staff:invite"),
        {
            "email": "grace@example.org",
            "first_name": "Grace",
            "last_name": "Hopper",
            "role": Role.STRUCTURE_REFERENT,
            "structure": world.structure.pk,
            "method": "local",
        },
    )
    assert response.status_code == 302
    client.logout()
    (email,) = mail.outbox
    path, token = link(INVITATION_LINK, email.body)
    stored = outbox_row("staff_invitation")
    assert token not in stored.body and stored.secrets_masked
    assert client.get(link(INVITATION_LINK, stored.body)[0], follow=True).status_code == 410
    assert client.get(path, follow=True).status_code == 200


def test_a_message_without_a_link_is_stored_as_sent(in_site):
    from apps.notifications.services import send_message

    w = in_site
    message = send_message(
        "registration_confirmed", to=w.pupil, site=w.site, context={"registration": w.registration, "slot": w.slot}
    )
    assert message.body == mail.outbox[0].body and not message.secrets_masked
