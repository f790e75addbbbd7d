"""Back-office lists refuse invalid paging, sorting and filter values (a message, the list with the
valid values only, never a 500) and keep only valid ones; a kept filter that is not valid (saved
before the check, or since made invalid) is dropped on the next visit. Every list is checked."""

from urllib.parse import parse_qsl, urlencode

import pytest
from django.urls import get_resolver, reverse

from apps.backoffice.models import SavedListFilter
from apps.backoffice.organisations.urls import PREFIXES
from apps.backoffice.reference.registry import CONTENT, REFERENCE
from apps.tenancy.scoping import for_site

REFUSED = "Some list settings were not valid and were ignored"

LIST_URLS = [
    *(("backoffice:reference_list", slug) for slug in REFERENCE.kinds),
    *(("backoffice:content_list", slug) for slug in CONTENT.kinds),
    ("backoffice:reference_years", None),
    *((f"backoffice:organisations_{key}_list", None) for key in PREFIXES),
    ("backoffice:offer_course_list", None),
    ("backoffice:offer_event_list", None),
    ("backoffice:slots_list", None),
]
LIST_IDS = [name.removeprefix("backoffice:") + (f"-{arg}" if arg else "") for name, arg in LIST_URLS]

BAD_QUERIES = {
    "per_page=-1": "per_page",
    "per_page=0": "per_page",
    f"per_page={10**9}": "per_page",
    "per_page=abc": "per_page",
    "page=-1": "page",
    "page=0": "page",
    "page=abc": "page",
    "sort=unknown": "sort",
    "sort=password": "sort",
    "sort=-password,label": "sort",
}


@pytest.fixture
def master(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.raise_request_exception = False
    client.force_login(world.master_referent)
    return client


def _url(name, arg):
    return reverse(name, args=[arg] if arg else [])


def _key_of(master, world, url):
    """The list's key for kept filters, learnt from what the list saves."""
    master.get(url, {"q": "zz"})
    with for_site(world.site):
        return SavedListFilter.objects.get(user=world.master_referent, query_string="q=zz").list_key


def test_every_back_office_list_is_checked():
    namespace = get_resolver().namespace_dict["backoffice"][1]
    names = {name for name in namespace.reverse_dict if isinstance(name, str) and name.endswith("_list")}
    assert names <= {name.removeprefix("backoffice:") for name, _arg in LIST_URLS}


@pytest.mark.parametrize(("name", "arg"), LIST_URLS, ids=LIST_IDS)
def test_an_invalid_value_is_refused_with_a_message_and_not_kept(master, world, name, arg):
    # Every bad value in turn on one list (one world per list keeps the suite fast).
    url = _url(name, arg)
    for query in BAD_QUERIES:
        response = master.get(f"{url}?{query}&q=a")
        assert response.status_code == 200, query
        assert REFUSED in response.content.decode(), query
        with for_site(world.site):
            kept = SavedListFilter.objects.get(user=world.master_referent)
        assert kept.query_string == "q=a", query
        main = response.content.decode().replace("&amp;", "&").split("<main", 1)[1]
        assert query not in main and urlencode(parse_qsl(query)) not in main, query  # the table's links drop it
        follow_up = master.get(url)
        assert follow_up.status_code == 302 and follow_up["Location"] == f"{url}?q=a", query


@pytest.mark.parametrize(("name", "arg"), LIST_URLS, ids=LIST_IDS)
def test_a_bad_kept_filter_from_an_earlier_session_is_dropped(master, world, name, arg):
    url = _url(name, arg)
    key = _key_of(master, world, url)
    with for_site(world.site):
        kept = SavedListFilter.objects.filter(user=world.master_referent, list_key=key)
        kept.update(query_string="per_page=-1&sort=password&page=-1&q=a")
        response = master.get(url)
        assert response.status_code == 302 and response["Location"] == f"{url}?q=a"
        assert kept.get().query_string == "q=a"
        assert master.get(response["Location"]).status_code == 200
        kept.update(query_string="per_page=-1")
        response = master.get(url)
        assert response.status_code == 200
        assert not kept.exists()


@pytest.mark.parametrize(("name", "arg"), LIST_URLS, ids=LIST_IDS)
def test_a_page_past_the_end_shows_the_last_page(master, name, arg):
    response = master.get(_url(name, arg), {"page": "999999"})
    assert response.status_code == 200
    assert REFUSED not in response.content.decode()


def test_valid_settings_are_kept_and_the_page_is_not(master, world):
    url = reverse("backoffice:reference_list", args=["specialities"])
    response = master.get(url, {"per_page": "50", "sort": "-label", "page": "1", "state": "yes"})
    assert response.status_code == 200
    assert REFUSED not in response.content.decode()
    response = master.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?per_page=50&sort=-label&state=yes"


def test_an_invalid_filter_value_is_dropped_and_named(master, world):
    url = reverse("backoffice:slots_list")
    response = master.get(url, {"date_from": "2024-13-45", "course": "999999", "q": "Algo"})
    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in page and "From" in page.split(REFUSED, 1)[1].split("</", 1)[0]
    assert "Course" in page.split(REFUSED, 1)[1].split("</", 1)[0]
    assert world.slot.course.label in page  # the list still filters on the valid search
    assert master.get(url)["Location"] == f"{url}?q=Algo"


def test_a_kept_filter_too_long_to_keep_is_not_cut(master, world):
    url = reverse("backoffice:reference_list", args=["specialities"])
    master.get(url, {"q": "ok"})
    response = master.get(url, {"q": "x" * 3000})
    assert response.status_code == 200
    assert master.get(url)["Location"] == f"{url}?q=ok"
