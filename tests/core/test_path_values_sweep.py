"""Out-of-range or malformed path parameters never give a 500: every URL pattern with parameters,
as each kind of person (a number past any database integer, a text with quotes and bytes that
are not UTF-8). Worth running on PostgreSQL too, whose integers overflow where SQLite's do not."""

import pytest

from .url_sweep import all_urls, encoded

PEOPLE = ("anonymous", "pupil", "high_school_referent", "speaker", "master_referent", "operator")


def out_of_range(converter, sample):
    if sample:
        return sample
    return {"int": "99999999999999999999", "uuid": "ffffffff-ffff-ffff-ffff-ffffffffffff"}.get(converter, "%ff%fe'\"x")


@pytest.mark.parametrize("person", PEOPLE)
def test_out_of_range_path_parameters_never_give_a_server_error(client, world, person):
    client.raise_request_exception = False
    urls = [(path, name) for path, name, has_parameters in all_urls(out_of_range) if has_parameters]
    assert len(urls) > 100
    failed = []
    for path, name in urls:
        if person != "anonymous":
            client.force_login(getattr(world, person))  # a page may have signed the person out
        status = client.get(encoded(path)).status_code
        if status >= 500:
            failed.append((name, path, status))
    assert not failed, failed
