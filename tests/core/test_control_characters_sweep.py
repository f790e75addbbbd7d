"""A NUL in any URL, query or form value gets the 400 page, never a 500: every URL pattern, as an
anonymous visitor, a high-school referent (their pupils' pages) and the operator (the back office
and the admin).

Run it on PostgreSQL too (``DATABASE_URL``): SQLite stores NUL characters, PostgreSQL refuses them,
so on SQLite alone a NUL that reached a query would pass unnoticed.
"""

import pytest

from .url_sweep import all_urls, encoded, plausible, with_nul

#: The middleware answers before any view, whoever asks: one person per kind of page is enough
#: (public pages, the referent's pupils pages where the first 500s were, the back office and admin).
PEOPLE = ("anonymous", "high_school_referent", "operator")
NUL_QUERY = "q=%00&page=%00&sort=%00"


def _client(client, world, person):
    client.raise_request_exception = False
    if person != "anonymous":
        client.force_login(getattr(world, person))
    return client


def _sweep(requests):
    """The requests that did not answer 400 (address, status)."""
    return [(label, status) for label, status in requests if status != 400]


@pytest.mark.parametrize("person", PEOPLE)
def test_a_nul_in_a_path_parameter_is_a_bad_request_on_every_pattern(client, world, person):
    client = _client(client, world, person)
    urls = [(path, name) for path, name, has_parameters in all_urls(with_nul) if has_parameters]
    assert len(urls) > 100
    wrong = _sweep((f"{name} {path}", client.get(encoded(path)).status_code) for path, name in urls)
    assert not wrong, wrong


@pytest.mark.parametrize("person", PEOPLE)
def test_a_nul_in_the_query_string_is_a_bad_request_on_every_pattern(client, world, person):
    client = _client(client, world, person)
    urls = all_urls(plausible)
    assert len(urls) > 300
    wrong = _sweep(
        (f"{name} {path}", client.get(f"{encoded(path)}?{NUL_QUERY}").status_code) for path, name, _p in urls
    )
    assert not wrong, wrong


@pytest.mark.parametrize("person", ("anonymous", "master_referent"))
def test_a_nul_in_a_posted_field_is_a_bad_request_on_every_pattern(client, world, person):
    client = _client(client, world, person)
    client.handler.enforce_csrf_checks = False
    wrong = _sweep(
        (f"{name} {path}", client.post(encoded(path), {"q": "\x00", "next": "/"}).status_code)
        for path, name, _p in all_urls(plausible)
    )
    assert not wrong, wrong
