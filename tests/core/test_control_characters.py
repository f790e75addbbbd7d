"""Control characters in a request: the site's 400 page before any view (never a 500), and a forged
cookie is forgotten. The cases of the issue first; the sweep over every URL is in
test_control_characters_sweep.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.raise_request_exception = False
    return client


def _is_bad_request_page(response, site):
    body = response.content.decode()
    return response.status_code == 400 and "<h1>Bad request</h1>" in body and site.name in body


def test_a_nul_in_the_calendar_feed_address_is_a_bad_request(client, world):
    response = client.get("/my-immersions/calendar/%00.ics")
    assert _is_bad_request_page(response, world.site)


def test_a_nul_in_the_search_of_a_referent_pupils_pages_is_a_bad_request(client, world):
    client.force_login(world.high_school_referent)
    for url in (
        reverse("registrations:pupils_immersions"),
        reverse("registrations:register_pupils", args=[world.slot.pk]),
        reverse("registrations:groups"),
    ):
        assert _is_bad_request_page(client.get(url, {"q": "Dupont\x00"}), world.site), url
        assert client.get(url, {"q": "Dupont"}).status_code == 200, url


def test_the_page_is_the_site_page_with_the_person_signed_in(client, world):
    client.force_login(world.pupil)
    response = client.get("/?q=%00")
    assert _is_bad_request_page(response, world.site)
    assert "Sign out" in response.content.decode()


def test_the_page_is_in_french_by_default(client, world, settings):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.get("/%00/")
    assert response.status_code == 400
    assert '<html lang="fr"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["q=%00", "%00=x", "q%01=x", "q=%01", "q=a%7Fb", "page=1&sort=%1B", "q=a&q=b%00"],
    ids=["nul-value", "nul-key", "control-in-key", "control-value", "delete", "escape", "second-value"],
)
def test_control_characters_in_the_query_string_are_a_bad_request(client, world, query):
    assert _is_bad_request_page(client.get(f"{reverse('portal:search')}?{query}"), world.site)


@pytest.mark.parametrize("path", ["/offer/%00/", "/offer%0A/", "/%09", "/back-office/%7F/", "/static/%00.css"])
def test_control_characters_in_the_path_are_a_bad_request(client, world, path):
    assert client.get(path).status_code == 400


def test_tabs_and_line_breaks_in_a_query_value_are_read_as_usual(client, world):
    assert client.get(reverse("portal:search"), {"q": "Algo\trithmique\r\n"}).status_code == 200


def test_a_nul_in_a_posted_field_is_a_bad_request(client, world):
    response = client.post(reverse("accounts:login"), {"username": "someone@example.org\x00", "password": "x"})
    assert _is_bad_request_page(response, world.site)


def test_a_nul_in_a_posted_field_name_is_a_bad_request(client, world):
    response = client.post(reverse("accounts:login"), {"user\x00name": "someone@example.org", "password": "x"})
    assert response.status_code == 400


def test_pasted_text_with_line_breaks_and_vertical_tabs_is_posted_as_usual(client, world):
    response = client.post(reverse("accounts:login"), {"username": "a@example.org", "password": "x\x0by\r\nz\t"})
    assert response.status_code != 400


def test_a_nul_in_a_multipart_field_is_a_bad_request(client, world):
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    response = client.post(reverse("accounts:login"), {"username": "a@example.org\x00", "file": upload})
    assert response.status_code == 400


def test_an_unreadable_multipart_body_is_a_bad_request(client, world):
    response = client.generic("POST", reverse("accounts:login"), b"garbage", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def _home_with_cookies(client, cookies):
    """The home page with a raw Cookie header (the test client would quote the values itself)."""
    return client.generic("GET", reverse("portal:home"), HTTP_COOKIE=f"django_language=en; {cookies}")


def test_a_session_cookie_carrying_a_nul_is_forgotten(client, world):
    response = _home_with_cookies(client, 'sessionid="\\000abcdefghijklmnop"')
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


def test_a_person_signed_in_keeps_their_session_beside_a_forged_cookie(client, world):
    client.force_login(world.pupil)
    response = _home_with_cookies(client, f'sessionid={client.cookies["sessionid"].value}; x="\\001"')
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()
