"""Invalid paging, sorting and filter values on any page (portal search, the referent's pupils
pages, the records to validate, the dashboards, the statistics, the people list, the back-office
lists...) never give a 500: every page without path parameters, as each kind of person."""

from urllib.parse import urlencode

import pytest

from .url_sweep import all_urls, plausible

PEOPLE = ("anonymous", "pupil", "high_school_referent", "speaker", "master_referent")
QUERIES = {
    "negative": urlencode({"page": "-1", "per_page": "-1", "sort": "password", "o": "-password", "q": "%'\\_"}),
    "huge": urlencode({"page": "999999", "per_page": str(10**9), "sort": "-nope,label", "q": "x" * 2000}),
    "words": urlencode({"page": "abc", "per_page": "abc", "when": "x", "tab": "x", "kind": "x", "status": "x"}),
    "ids": urlencode({"role": "x", "level": "99999999999999999999", "high_school": "-1", "year": "abc", "p": "-1"}),
}


@pytest.mark.parametrize("person", PEOPLE)
def test_invalid_list_values_never_give_a_server_error(client, world, person):
    client.raise_request_exception = False
    urls = [(path, name) for path, name, has_parameters in all_urls(plausible) if not has_parameters]
    urls = [(path, name) for path, name in urls if not name.startswith("admin:")]
    assert len(urls) > 50
    failed = []
    for query, values in QUERIES.items():
        for path, name in urls:
            if person != "anonymous":
                client.force_login(getattr(world, person))  # a page may have signed the person out
            status = client.get(f"{path}?{values}").status_code
            if status >= 500:
                failed.append((query, name, path, status))
    assert not failed, failed
