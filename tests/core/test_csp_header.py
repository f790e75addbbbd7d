"""Every HTML page carries the enforced page policy (Content-Security-Policy): scripts from the site only."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.federation.csp import standalone_error_page_styles

HEADER = "Content-Security-Policy"


def policy(response):
    """{directive: [sources]} of the response's enforced policy."""
    assert HEADER in response, f"{response.request['PATH_INFO']}: no {HEADER} header"
    directives = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response):
    directives = policy(response)
    scripts = directives["script-src"]
    assert scripts == ["'self'"], scripts
    assert "'unsafe-inline'" not in directives["style-src"] and "'unsafe-eval'" not in directives["style-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    return directives


def inline_scripts(html):
    """<script> elements that run inline code: neither a src nor a JSON data block."""
    return [
        tag
        for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", html, re.DOTALL)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]


def test_the_tests_enforce_the_policy(settings):
    assert settings.CONTENT_SECURITY_POLICY and not settings.CONTENT_SECURITY_POLICY_REPORT_ONLY


@pytest.mark.parametrize(
    ("person", "name", "args"),
    [
        (None, "portal:home", []),
        (None, "portal:offer", []),
        (None, "portal:slot", ["slot"]),
        (None, "federation:sign_in", []),
        (None, "accounts:login", []),
        ("master_referent", "staff:home", []),
        ("master_referent", "backoffice:slots_list", []),
        ("master_referent", "backoffice:organisations_highschool_create", []),
        ("master_referent", "staff:invite", []),
        ("master_referent", "dashboards:home", []),
        ("master_referent", "statistics:home", []),
        ("pupil", "records:edit", []),
    ],
)
def test_pages_carry_the_enforced_policy(client, world, person, name, args):
    if person:
        client.force_login(getattr(world, person))
    response = client.get(reverse(name, args=[getattr(world, arg).pk for arg in args]))
    assert response.status_code == 200
    directives = assert_strict(response)
    html = response.content.decode()
    assert not inline_scripts(html), inline_scripts(html)
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert not re.search(r"\sstyle=\"", html), "style attribute"
    assert not re.search(r"\shx-on", html), "htmx hx-on handlers need eval"
    # The one inline <style>, the site's colours, carries this response's nonce.
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", html).group(1)
    assert directives["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert len(re.findall(r"<style\b", html)) == 1


def test_each_response_has_its_own_nonce(client, world):
    first, second = (policy(client.get("/"))["style-src"] for _ in range(2))
    assert first != second


def test_htmx_fragments_carry_the_policy_without_nonce(client, world):
    client.force_login(world.master_referent)
    response = client.get(reverse("dashboards:panel", args=["site"]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert assert_strict(response)["style-src"] == ["'self'"]


def test_no_page_policy_on_downloads(client, world):
    # A page policy on a file would stop the browser's PDF viewer, for one; files set their own.
    client.force_login(world.master_referent)
    response = client.get(reverse("statistics:export", args=["registrations", "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert HEADER not in response and f"{HEADER}-Report-Only" not in response


def test_page_not_found_and_unknown_site_pages(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_strict(response)
    unknown = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert unknown.status_code == 404
    style_sources = policy(unknown)["style-src"]
    # its standalone <style> (no request, so no nonce) is allowed by its hash
    assert set(standalone_error_page_styles()) <= set(style_sources)
    assert len(standalone_error_page_styles()) == 2


@pytest.mark.parametrize(
    ("environment", "enforced"),
    [
        ({"DEBUG": "false"}, True),
        ({"DEBUG": "true"}, False),
        ({"DEBUG": "true", "CSP_REPORT_ONLY": "false"}, True),
        ({"DEBUG": "false", "CSP_REPORT_ONLY": "true"}, False),
    ],
)
def test_enforced_in_production_reported_only_in_development(environment, enforced):
    code = (
        "from immersup import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY is not None, s.CONTENT_SECURITY_POLICY_REPORT_ONLY is not None)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CSP_REPORT_ONLY", "DJANGO_SETTINGS_MODULE")}
    env.update(environment, SECRET_KEY="x" * 50)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [str(enforced), str(not enforced)]
