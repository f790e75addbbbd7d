"""Helpers of the local-account tests: links out of e-mails, sign-up data, the sign-in window."""

import datetime as dt
import re
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from apps.academic_calendar.models import UniversityYear
from apps.tenancy.scoping import platform_job

PASSWORD = "correct-horse-battery-staple"
LINK = re.compile(r"https?://\S+")


def links(message):
    """The paths of every absolute link in a message's body."""
    return [urlsplit(url).path for url in LINK.findall(message.body)]


def link_to(message, url_name):
    """The path of the message's link to ``url_name`` (whose last path segment is a token)."""
    prefix = reverse(url_name, args=["TOKEN"]).rsplit("TOKEN", 1)[0]
    found = [path for path in links(message) if path.startswith(prefix) and len(path) > len(prefix) + 10]
    assert len(found) == 1, f"no single {url_name} link in:\n{message.body}"
    return found[0]


def token_of(path):
    return path.rstrip("/").rsplit("/", 1)[-1]


def open_link(client, link):
    """Open a link of an e-mail as a browser does: the link keeps its token in the session and
    redirects to its page, whose address has no token. That page's answer (or the link's, when
    it refuses)."""
    response = client.get(link)
    if response.status_code != 302:
        return response
    assert token_of(link) not in response.url
    return client.get(response.url)


def use_link(client, link, data=None):
    """Open a link of an e-mail, then post the form of its page. The answer to the post (or the
    link's, when it refuses)."""
    response = client.get(link)
    if response.status_code != 302:
        return response
    assert token_of(link) not in response.url
    return client.post(response.url, data or {})


def signup_data(**overrides):
    data = {
        "population": "pupil",
        "email": "new.pupil@example.org",
        "first_name": "Zoé",
        "last_name": "O'Neill",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def set_window(world, *, opens_in=None, ended=False, no_year=False):
    """Close the site's sign-in window: not open yet, year ended, or no current year."""
    today = timezone.localdate()
    with platform_job():
        year = UniversityYear.objects.get(pk=world.year.pk)
        if no_year:
            year.is_active = False
        elif ended:
            year.start_date = today - dt.timedelta(days=400)
            year.accounts_open_date = today - dt.timedelta(days=400)
            year.end_date = today - dt.timedelta(days=1)
        elif opens_in is not None:
            year.accounts_open_date = today + dt.timedelta(days=opens_in)
        year.save()


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")
