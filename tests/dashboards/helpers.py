"""Small readers and builders shared by the dashboard tests (HTTP only, through the public pages)."""

import datetime as dt
import re
from html import unescape

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.models import Registration, WaitingListEntry

HOME = reverse("dashboards:home")
BETA = "beta.localhost"


def panel_url(name):
    return reverse("dashboards:panel", args=[name])


def page(client, url=HOME, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def panel(html, name):
    """The HTML of one panel body."""
    match = re.search(rf'<div class="dashboard-body" data-panel="{name}">.*?<!-- /dashboard-body -->', html, re.S)
    assert match, f"no panel {name}"
    return match.group(0)


def figure(html, name):
    match = re.search(rf'data-figure="{name}">\s*(\d+)\s*<', html)
    assert match, f"no figure {name}"
    return int(match.group(1))


def listed(html, list_name):
    """The data-* ids of the rows of one list (``data-list``), in order."""
    match = re.search(rf'<ul class="dashboard-list" data-list="{list_name}">(.*?)</ul>', html, re.S)
    if not match:
        return []
    return re.findall(r'<li data-[a-z-]+="([^"]*)"', match.group(1))


def row(html, list_name, key):
    match = re.search(rf'<ul class="dashboard-list" data-list="{list_name}">(.*?)</ul>', html, re.S)
    assert match, f"no list {list_name}"
    item = re.search(rf'<li data-[a-z-]+="{re.escape(str(key))}">(.*?)</li>', match.group(1), re.S)
    assert item, f"no row {key} in {list_name}"
    return " ".join(item.group(1).split())


def fill_rows(html, kind):
    """{label: (places, taken, rate text)} of a fill-rate table (``kind``: establishment or domain)."""
    table = re.search(rf'<table[^>]*data-fill="{kind}">(.*?)</table>', html, re.S)
    if not table:
        return {}
    cells = re.findall(
        r'<th scope="row">([^<]*)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]*)</td>',
        table.group(1),
    )
    return {unescape(label): (int(places), int(taken), rate.strip()) for label, places, taken, rate in cells}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def register(slot, person, **fields):
    """An active registration, with the slot's counter kept true as the services do."""
    registration = Registration.objects.create(site=slot.site, slot=slot, person=person, **fields)
    Slot.objects.filter(pk=slot.pk).update(individual_places_taken=slot.individual_places_taken + 1)
    slot.individual_places_taken += 1
    return registration


def wait(slot, person, minutes_ago=0, **fields):
    return WaitingListEntry.objects.create(
        site=slot.site, slot=slot, person=person, joined_at=timezone.now() - dt.timedelta(minutes=minutes_ago), **fields
    )


def english(client):
    """Read the pages in English (the tests of wording; French is tested on its own)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
