import re

import pytest
from django.core import mail

LINK = re.compile(r"/back-office/staff/invitation/([A-Za-z0-9_\-]+)/")


@pytest.fixture
def client(client, settings):
    """The staff pages in English, whatever the default language of the catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def invitation_token(message=None):
    message = message or mail.outbox[-1]
    found = LINK.search(message.body)
    return found.group(1) if found else None
