"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Never downloads a browser (no ``playwright install``): it uses /usr/bin/chromium, and
installs the Debian package when it is missing, or stops with a clear message.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from apps.notifications.services import site_base_url
from apps.tenancy.scoping import platform_job
from tests.factories import build_world

# Playwright's sync API keeps an event loop running in the main thread for the whole
# session; without this, Django refuses every ORM call made by the tests after it starts.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).with_name("axe.min.js")


def _chromium():
    if CHROMIUM.exists():
        return CHROMIUM
    apt_get = shutil.which("apt-get")
    if apt_get:
        result = subprocess.run(
            [apt_get, "install", "-y", "chromium"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        if CHROMIUM.exists():
            return CHROMIUM
        detail = (result.stderr or result.stdout).strip()[-2000:]
    else:
        detail = "apt-get is not available."
    pytest.fail(
        f"{CHROMIUM} is missing and `apt-get install -y chromium` did not provide it; "
        f"install Debian's chromium package (never `playwright install`).\n{detail}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(_chromium()),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French visitor, like most of ours: LocaleMiddleware follows Accept-Language.
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def live_world(transactional_db):
    """The ``world`` of tests/conftest.py, committed so that the live server thread sees it."""
    with platform_job():
        return build_world("alpha", hosts=("testserver", "alpha.localhost"))


@pytest.fixture
def only_link(site_url, live_world):
    """``only_link(message)``: the one link of an e-mail, to follow on the live server.

    A message links to the site's primary host, whoever sent it (a page, a job); the live
    server answers on a port of its own (``site_url``, a module's fixture)."""
    base = site_base_url(live_world.site)

    def find(message):
        links = re.findall(r"https?://\S+", message.body)
        assert len(links) == 1, message.body
        assert links[0].startswith(base + "/"), links[0]
        return site_url + links[0][len(base) :]

    return find


def inject_axe(page):
    """Load axe-core into the page. Evaluated through the DevTools protocol: an added <script>
    element would be inline code, which the pages' policy (Content-Security-Policy) refuses."""
    page.evaluate(AXE_JS.read_text())


@pytest.fixture
def axe():
    """Run axe-core in a page; return its violations of impact "serious" or "critical"."""

    def run(page):
        inject_axe(page)
        results = page.evaluate("axe.run()")
        return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]

    return run


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        lines.extend(f"    {node['target']}: {node.get('failureSummary', '')}" for node in violation["nodes"])
    return "\n".join(lines)
