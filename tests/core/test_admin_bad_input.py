"""Every admin changelist: a NUL in the search or in a list filter's value is a 400, and invalid
filter, sort and page values are Django's usual answers (never a 500)."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

FILTER_LINK = re.compile(r'<a href="(\?[^"]+)"')


def _changelists():
    urls = []
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        except NoReverseMatch:
            continue
    return sorted(urls)


@pytest.fixture
def operator(client, world):
    client.raise_request_exception = False
    client.force_login(world.operator)
    return client


def _filter_params(page):
    """The parameters of the list filters' links of a changelist page ([] when it has none)."""
    for link in FILTER_LINK.findall(page):
        params = [(k, v) for k, v in parse_qsl(unescape(link)[1:], keep_blank_values=True) if k not in ("o", "p", "q")]
        if params:
            return params
    return []


@pytest.mark.parametrize("url", _changelists())
def test_a_changelist_answers_bad_values_without_a_server_error(operator, url):
    """Each list filter's own parameter is taken from the page's filter links (a date hierarchy's too)."""
    assert operator.get(url, {"q": "Dupont\x00"}).status_code == 400
    page = operator.get(url)
    if page.status_code == 403:  # a package's model the operator does not manage here
        return
    assert page.status_code == 200
    params = _filter_params(page.content.decode()) or [("id__exact", "1")]
    key = params[0][0]
    assert operator.get(f"{url}?{urlencode({key: 'x' + chr(0)})}").status_code == 400
    for value in ("abc", "9999", "99999999999999999999"):
        response = operator.get(f"{url}?{urlencode({key: value})}")
        assert response.status_code in (200, 302), (key, value, response.status_code)
    for query in ({"o": "99.password"}, {"p": "-1"}):
        response = operator.get(url, query)
        assert response.status_code in (200, 302, 404), (query, response.status_code)
