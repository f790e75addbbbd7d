"""The pages behind a link from an e-mail, in a real browser on a phone: each posts its form.

An invited staff member sets a password and is signed in; a pupil activates an account,
chooses a new password, confirms a new e-mail address. On each: the form's POST carries the
site's own ``Origin`` (never ``null``, which the CSRF check refuses: a page under
``no-referrer`` gets that), and once the link is opened the token leaves the address bar:
no later request carries it, in its address or in a ``Referer``.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.policy import actor_for
from apps.staff import services as staff_services
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import AXE_JS, describe
from tests.factories import make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
PASSWORD = "Tournesol-Vélo-2031!"
AXE_SOURCE = AXE_JS.read_text()


def fr(msgid):
    with translation.override("fr"):
        return gettext(msgid)


@pytest.fixture
def site_url(live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url


@pytest.fixture
def phone(browser, browser_context_args):
    """A new phone-sized, touch, French browser: ``phone()`` opens a page in it."""
    contexts = []

    def open_page():
        context = browser.new_context(
            **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, site_url, user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site_url}])


class Watch:
    """Every request of a page, to check Origin and Referer once the journey is over."""

    def __init__(self, page, site_url):
        self.page = page
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
        self.requests = []
        page.on("request", lambda request: self.requests.append(request))

    def problems(self, token):
        found = []
        posts = [r for r in self.requests if r.method == "POST"]
        if not posts:
            found.append("no form was posted")
        for request in posts:
            origin = request.all_headers().get("origin")
            if origin != self.origin:
                found.append(f"POST {request.url} sent Origin {origin!r}, expected {self.origin!r}")
        for request in self.requests:
            if request.is_navigation_request() and request.url.endswith(f"/{token}/"):
                continue  # opening the link itself
            referer = request.all_headers().get("referer", "")
            if token in request.url or token in referer:
                found.append(f"{request.method} {request.url} carries the token (Referer {referer!r})")
        return found


def check_page(page):
    """axe-core (no serious or critical violation), no horizontal scrolling, one h1."""
    page.wait_for_load_state("load")
    # Evaluated by the browser's tools, which the page's policy (CSP) does not restrict, unlike a
    # <script> added to the page.
    page.evaluate(AXE_SOURCE)
    results = page.evaluate("axe.run()")
    violations = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll"
    assert page.locator("h1").count() == 1


def token_of(url):
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def test_an_invited_person_sets_a_password_and_is_signed_in(phone, site_url, live_world, mailoutbox, only_link):
    # The master referent invites a structure referent, from the staff pages on a phone.
    referent = phone()
    sign_in(referent, site_url, live_world.master_referent)
    assert referent.goto(site_url + reverse("staff:invite")).status == 200
    referent.fill("#id_email", "grace.hopper@example.org")
    referent.fill("#id_first_name", "Grace")
    referent.fill("#id_last_name", "Hopper")
    referent.select_option("#id_role", Role.STRUCTURE_REFERENT)
    referent.select_option("#id_structure", str(live_world.structure.pk))
    referent.get_by_role("button", name=fr("Grant the role")).click()
    referent.wait_for_url(site_url + reverse("staff:people"))
    assert [m.to for m in mailoutbox] == [["grace.hopper@example.org"]]

    # The invited person opens the link of the e-mail on their own phone.
    link = only_link(mailoutbox[0])
    assert link == site_url + reverse("staff:accept_invitation", args=[token_of(link)]), link
    token = token_of(link)
    page = phone()
    watch = Watch(page, site_url)
    assert page.goto(link).status == 200
    assert token not in page.url, "the token stays in the address bar"
    check_page(page)
    expect(page.get_by_role("main")).to_contain_text("grace.hopper@example.org")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name=fr("Set my password and sign in")).click()

    # Signed in, on the staff pages, with the role.
    page.wait_for_url(site_url + reverse("staff:home"))
    expect(page.get_by_role("main")).to_contain_text("Sciences")
    check_page(page)
    grace = User.objects.get(email="grace.hopper@example.org")
    assert grace.is_active and grace.check_password(PASSWORD)
    with for_site(live_world.site):
        assert RoleAssignment.objects.filter(user=grace, role=Role.STRUCTURE_REFERENT).exists()
    assert not watch.problems(token), "\n".join(watch.problems(token))

    # The link works once.
    again = phone()
    assert again.goto(link).status == 410


def test_an_invited_person_who_lost_the_e_mail_gets_a_new_invitation(
    phone, site_url, live_world, mailoutbox, only_link
):
    with for_site(live_world.site):
        staff_services.invite(
            actor_for(live_world.master_referent, live_world.site),
            live_world.site,
            email="ada@example.org",
            first_name="Ada",
            last_name="Lovelace",
            role=Role.STRUCTURE_REFERENT,
            method=staff_services.InvitationMethod.LOCAL,
            structure=live_world.structure,
        )
    first_link = only_link(mailoutbox[0])

    # "Forgotten password?": a new invitation link, the earlier one no longer works.
    page = phone()
    assert page.goto(site_url + reverse("accounts:password_reset")).status == 200
    page.get_by_label(fr("E-mail address"), exact=True).fill("ada@example.org")
    page.get_by_role("button", name=fr("Send the link")).click()
    page.wait_for_url(site_url + reverse("accounts:mail_sent", args=["password_reset"]))
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["ada@example.org"]
    link = only_link(mailoutbox[1])
    assert link == site_url + reverse("staff:accept_invitation", args=[token_of(link)]), link
    assert link != first_link
    assert page.goto(first_link).status == 410

    watch = Watch(page, site_url)
    assert page.goto(link).status == 200
    check_page(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name=fr("Set my password and sign in")).click()
    page.wait_for_url(site_url + reverse("staff:home"))
    assert User.objects.get(email="ada@example.org").check_password(PASSWORD)
    assert not watch.problems(token_of(link)), "\n".join(watch.problems(token_of(link)))


def test_activation_link(phone, site_url, live_world, mailoutbox, only_link):
    person = make_user("leo@example.org", is_active=False)
    with for_site(live_world.site):
        RoleAssignment.objects.create(site=live_world.site, user=person, role=Role.PUPIL)
    page = phone()
    assert page.goto(site_url + reverse("accounts:resend_activation")).status == 200
    page.get_by_label(fr("E-mail address"), exact=True).fill(person.email)
    page.get_by_role("button", name=fr("Send a new link")).click()
    page.wait_for_url(site_url + reverse("accounts:mail_sent", args=["activation"]))
    link = only_link(mailoutbox[-1])

    watch = Watch(page, site_url)
    assert page.goto(link).status == 200
    assert token_of(link) not in page.url
    check_page(page)
    page.get_by_role("button", name=fr("Activate my account")).click()
    page.wait_for_url(site_url + reverse("records:home"))
    person.refresh_from_db()
    assert person.is_active
    assert not watch.problems(token_of(link)), "\n".join(watch.problems(token_of(link)))


def test_password_reset_link(phone, site_url, live_world, mailoutbox, only_link):
    page = phone()
    assert page.goto(site_url + reverse("accounts:password_reset")).status == 200
    page.get_by_label(fr("E-mail address"), exact=True).fill(live_world.pupil.email)
    page.get_by_role("button", name=fr("Send the link")).click()
    page.wait_for_url(site_url + reverse("accounts:mail_sent", args=["password_reset"]))
    link = only_link(mailoutbox[-1])

    watch = Watch(page, site_url)
    assert page.goto(link).status == 200
    assert token_of(link) not in page.url
    check_page(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name=fr("Save my new password")).click()
    page.wait_for_url(site_url + reverse("accounts:login"))
    live_world.pupil.refresh_from_db()
    assert live_world.pupil.check_password(PASSWORD)
    assert not watch.problems(token_of(link)), "\n".join(watch.problems(token_of(link)))


def test_e_mail_change_link(phone, site_url, live_world, mailoutbox, only_link):
    page = phone()
    sign_in(page, site_url, live_world.pupil)
    assert page.goto(site_url + reverse("accounts:email_change")).status == 200
    page.get_by_label(fr("New e-mail address"), exact=True).fill("lea.new@example.org")
    page.get_by_label(fr("Current password"), exact=True).fill("a-long-test-password")
    page.get_by_role("button", name=fr("Send the confirmation link")).click()
    page.wait_for_url(site_url + reverse("accounts:mail_sent", args=["email_change"]))
    (message,) = [m for m in mailoutbox if m.to == ["lea.new@example.org"]]
    link = only_link(message)

    watch = Watch(page, site_url)
    assert page.goto(link).status == 200
    assert token_of(link) not in page.url
    check_page(page)
    expect(page.get_by_role("main")).to_contain_text("lea.new@example.org")
    page.get_by_role("button", name=fr("Confirm")).click()
    page.wait_for_url(re.compile(r"/record/$"))
    live_world.pupil.refresh_from_db()
    assert live_world.pupil.email == "lea.new@example.org"
    assert not watch.problems(token_of(link)), "\n".join(watch.problems(token_of(link)))
