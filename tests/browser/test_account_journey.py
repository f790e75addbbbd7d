"""A pupil's whole account journey in a real browser, on a phone, in French.

Anonymous visitor → sign-in chooser → sign-up → activation e-mail → pupil record →
"Mes données" → "Mes pièces justificatives" → sign-out; then the local login and the
password reset. On every page: axe-core (no "serious" or "critical" violation), no
horizontal scrolling, exactly one h1; every form submitted empty must show errors that
a screen reader announces (an alert, or the focus on the first invalid field) and that
each invalid field points to (aria-describedby).

The words to click are read from the French catalogue (``fr()``), so the journey follows
what a French visitor sees; every word still in English is reported at the end, with the
accessibility problems of every page, in one assertion.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.attestations.models import AttestationType
from apps.records.models import PupilRecord, RecordStatus
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import describe, inject_axe
from tests.factories import make_user
from tests.records.conftest import make_references, years_ago

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
PASSWORD = "Tournesol-Vélo-2031!"
#: The French the brief of these pages asks for, where the wording matters.
EXPECTED_FRENCH = {
    "Sign in": "Se connecter",
    "My data": "Mes données",
    "My documents": "Mes pièces justificatives",
}
#: Words that are the same in both languages.
SAME_IN_FRENCH = {"Menu"}


class Journey:
    """The page, and the problems found on the way (reported together at the end)."""

    def __init__(self, page, site_url):
        self.page = page
        self.site_url = site_url
        self.problems = []
        self.untranslated = {}
        origin = urlsplit(site_url).netloc

        def on_request(request):
            if not request.url.startswith("data:") and urlsplit(request.url).netloc != origin:
                self.problems.append(f"request leaving the site: {request.url}")

        def on_response(response):
            if response.status >= 400 and response.request.resource_type != "document":
                self.problems.append(f"sub-resource answered {response.status}: {response.url}")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))

    # --- French -------------------------------------------------------------------------

    def fr(self, msgid):
        """What a French visitor reads for ``msgid``; notes it when it is not (well) translated."""
        with translation.override("fr"):
            shown = gettext(msgid)
        expected = EXPECTED_FRENCH.get(msgid)
        if expected and shown != expected:
            self.untranslated[msgid] = f"shown {shown!r}, expected {expected!r}"
        elif shown == msgid and msgid not in SAME_IN_FRENCH:
            self.untranslated[msgid] = "not translated"
        return shown

    # --- Checks of every page -----------------------------------------------------------

    def where(self):
        return urlsplit(self.page.url).path

    def check(self, label):
        """axe-core, horizontal scrolling, one h1 — on the page as it is now."""
        page = self.page
        page.wait_for_load_state("load")
        place = f"{label} ({self.where()})"
        assert page.locator("html").get_attribute("lang") == "fr", f"{place}: the page is not in French"
        inject_axe(page)
        results = page.evaluate("axe.run()")
        violations = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if violations:
            self.problems.append(f"{place}: axe-core violations\n{describe(violations)}")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            self.problems.append(f"{place}: horizontal scrolling ({widths[0]}px wide for {widths[1]}px)")
        headings = page.locator("h1").all_inner_texts()
        if len(headings) != 1:
            self.problems.append(f"{place}: {len(headings)} h1 elements instead of one: {headings}")

    def check_errors(self, label):
        """After a submission with errors: shown, announced or focused, and tied to their fields."""
        page = self.page
        place = f"{label} ({self.where()})"
        state = page.evaluate(
            """() => {
              const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
              const invalid = [...document.querySelectorAll('[aria-invalid="true"]')];
              const alerts = [...document.querySelectorAll('[role="alert"], [aria-live="assertive"]')]
                .filter((el) => visible(el) && el.textContent.trim());
              const active = document.activeElement;
              const unexplained = invalid.filter((field) => {
                const group = field.closest('fieldset');
                const ids = [field, group].filter(Boolean)
                  .flatMap((el) => (el.getAttribute('aria-describedby') || '').split(/\\s+/))
                  .filter(Boolean);
                return !ids.some((id) => {
                  const note = document.getElementById(id);
                  return note && /error/.test(id) && visible(note) && note.textContent.trim();
                });
              }).map((field) => field.id || field.name);
              return {
                invalid: invalid.map((field) => field.id || field.name),
                alerts: alerts.map((el) => el.textContent.trim().replace(/\\s+/g, ' ')),
                focusOnError: invalid.includes(active)
                  || alerts.some((el) => el === active || el.contains(active)),
                unexplained: unexplained,
              };
            }"""
        )
        if not state["invalid"]:
            self.problems.append(f"{place}: no field is marked aria-invalid after an empty submission")
        if not state["alerts"] and not state["focusOnError"]:
            self.problems.append(
                f"{place}: the errors are neither announced (role=alert) nor given the focus; "
                f"invalid fields: {state['invalid']}"
            )
        if state["unexplained"]:
            self.problems.append(
                f"{place}: invalid fields with no visible error message in aria-describedby: {state['unexplained']}"
            )
        return state

    # --- Phone menu ---------------------------------------------------------------------

    def open_menu(self):
        toggler = self.page.get_by_role("button", name=self.fr("Menu"), exact=True)
        expect(toggler).to_be_visible()  # collapsed on a phone
        if toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(self.page.locator("#main-menu")).to_have_class(re.compile(r"\bshow\b"))


def report(journey):
    lines = []
    if journey.untranslated:
        lines.append("English shown on the French interface:")
        lines.extend(f"    {msgid!r}: {detail}" for msgid, detail in sorted(journey.untranslated.items()))
    lines.extend(journey.problems)
    return "\n".join(lines)


# --- Fixtures -----------------------------------------------------------------------------


@pytest.fixture
def site_url(live_server, live_world):
    # The live server answers on "localhost": let the world's site claim that host.
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url


@pytest.fixture
def phone(browser, browser_context_args):
    """A phone-sized, touch, French browser context (its own, closed after the test)."""
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def pupil_references(live_world):
    """Levels and baccalaureate types, and the documents asked of pupils of partner high schools."""
    site = live_world.site
    refs = make_references(site)
    with for_site(site):
        AttestationType.objects.create(
            site=site,
            label="Autorisation parentale",
            description="Signée par un parent si vous êtes mineur·e.",
            for_pupils_with_agreement=True,
            minors_only=True,
            requires_validity_date=True,
            position=1,
        )
        AttestationType.objects.create(
            site=site, label="Certificat de scolarité", for_pupils_with_agreement=True, mandatory=False, position=2
        )
    return refs


def labelled(text):
    """The label text, exactly, with or without the required mark (an aria-hidden "*")."""
    return re.compile(rf"^{re.escape(text)}(\s*\*)?$")


def submit(button):
    """Press a submit button and wait for the answer to be loaded, even when it comes back to the same
    address (``wait_for_url`` returns at once when the address already matches)."""
    with button.page.expect_navigation(wait_until="load"):
        button.click()


def type_into(locator, text):
    """Like a person on a phone keyboard: focus the field, then type."""
    locator.click()
    locator.press_sequentially(text)


# --- The journey --------------------------------------------------------------------------


def test_pupil_signs_up_activates_fills_in_the_record_and_signs_out(
    phone, site_url, live_world, pupil_references, mailoutbox, only_link
):
    page = phone
    journey = Journey(page, site_url)
    fr = journey.fr

    # Home page, anonymous; "Se connecter" is in the collapsed menu of the phone.
    assert page.goto(site_url + "/").status == 200
    journey.check("home page")
    journey.open_menu()
    page.locator("#main-menu").get_by_role("link", name=fr("Sign in"), exact=True).click()
    page.wait_for_url(f"{site_url}/sign-in/")
    journey.check("sign-in chooser")

    # The pupil population, then the link to create an account.
    page.get_by_role("link", name=fr("High-school pupil"), exact=True).click()
    page.wait_for_url(f"{site_url}/sign-in/?population=pupil")
    expect(page.get_by_role("link", name=fr("High-school pupil"), exact=True)).to_have_attribute("aria-current", "true")
    journey.check("sign-in chooser, pupil")
    page.get_by_role("link", name=fr("Create an account"), exact=True).click()
    page.wait_for_url(re.compile(r"/account/sign-up/\?population=pupil$"))
    journey.check("sign-up")
    expect(page.get_by_label(fr("a high-school pupil"), exact=True)).to_be_checked()

    # Submitted empty: errors, announced, tied to their fields.
    create = page.get_by_role("button", name=fr("Create my account"), exact=True)
    submit(create)
    expect(page.get_by_label(fr("E-mail address"), exact=True)).to_have_attribute("aria-invalid", "true")
    journey.check_errors("sign-up submitted empty")
    journey.check("sign-up with errors")
    assert not mailoutbox

    # Filled in with the keyboard, field by field, found by their labels.
    email = "lea.muller@example.org"
    type_into(page.get_by_label(fr("E-mail address"), exact=True), email)
    type_into(page.get_by_label(fr("First name"), exact=True), "Léa")
    type_into(page.get_by_label(fr("Last name"), exact=True), "Müller")
    type_into(page.get_by_label(fr("Password"), exact=True), PASSWORD)
    type_into(page.get_by_label(fr("Password again"), exact=True), PASSWORD)
    page.get_by_label(fr("a high-school pupil"), exact=True).check()
    create.click()
    page.wait_for_url(f"{site_url}/account/sent/signup/")
    journey.check("check your mailbox")

    # The activation e-mail, read from the in-process outbox; its link opens a page with a button.
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    assert mailoutbox[0].to == [email]
    activation_url = only_link(mailoutbox[0])
    assert activation_url.startswith(f"{site_url}/account/activation/"), activation_url
    assert page.goto(activation_url).status == 200
    journey.check("activation")
    page.get_by_role("button", name=fr("Activate my account"), exact=True).click()
    page.wait_for_url(f"{site_url}/record/")

    # Signed in: the pupil record waits to be completed.
    journey.check("my record, to complete")
    status = page.locator("[data-status]").first
    expect(status).to_have_attribute("data-status", RecordStatus.TO_COMPLETE)
    expect(status).to_have_text(fr("To complete"))
    page.get_by_role("link", name=fr("Fill in my record"), exact=True).click()
    page.wait_for_url(f"{site_url}/record/edit/?kind=pupil")
    journey.check("record form")
    expect(page.get_by_label(labelled(fr("First name")))).to_have_value("Léa")

    # Saved with nothing chosen: errors first.
    save = page.get_by_role("button", name=fr("Save my record"), exact=True)
    submit(save)
    expect(page.get_by_label(labelled(fr("Level")))).to_have_attribute("aria-invalid", "true")
    journey.check_errors("record form submitted without its required fields")
    journey.check("record form with errors")

    # The partner high school through the search (htmx), then level and baccalaureate.
    search = page.get_by_label(fr("Search your high school"), exact=True)
    type_into(search, "kléber")
    school = page.get_by_role("radio", name=re.compile(r"Lycée Kléber"))
    expect(school).to_be_visible()
    school.check()
    page.get_by_label(labelled(fr("Birth date"))).fill(years_ago(16).isoformat())
    page.get_by_label(labelled(fr("Level"))).select_option(label="Seconde")
    page.get_by_label(labelled(fr("Baccalaureate type"))).select_option(label="Professionnel")
    type_into(page.get_by_label(labelled(fr("Class"))), "2nde 4")
    type_into(page.get_by_label(labelled(fr("Phone"))), "06 12 34 56 78")
    journey.check("record form, high school chosen")
    save.click()
    page.wait_for_url(f"{site_url}/record/")

    # "To validate", said in words and in the status badge.
    status = page.locator("[data-status]").first
    expect(status).to_have_attribute("data-status", RecordStatus.TO_VALIDATE)
    expect(status).to_have_text(fr("To validate"))
    expect(page.get_by_role("status")).to_contain_text(fr("Your record is saved and sent for validation."))
    journey.check("my record, to validate")
    with for_site(live_world.site):
        record = PupilRecord.objects.get(user__email=email)
    assert record.status == RecordStatus.TO_VALIDATE
    assert record.high_school == live_world.high_school
    assert record.level == pupil_references.seconde and record.bachelor_type == pupil_references.pro
    assert record.submitted_at is not None and record.submitted_at <= timezone.now()

    # "Mes données", and the e-mail change form it leads to (submitted empty).
    page.get_by_role("link", name=fr("My data"), exact=True).click()
    page.wait_for_url(f"{site_url}/my-data/")
    journey.check("my data")
    expect(page.get_by_role("main")).to_contain_text(email)
    page.get_by_role("link", name=fr("Change my e-mail address"), exact=True).click()
    page.wait_for_url(f"{site_url}/account/e-mail/")
    journey.check("e-mail change")
    submit(page.get_by_role("button", name=fr("Send the confirmation link"), exact=True))
    expect(page.get_by_label(fr("New e-mail address"), exact=True)).to_have_attribute("aria-invalid", "true")
    journey.check_errors("e-mail change submitted empty")
    journey.check("e-mail change with errors")

    # "Mes pièces justificatives", from the record page.
    page.goto(f"{site_url}/record/")
    page.get_by_role("link", name=fr("My documents"), exact=True).click()
    page.wait_for_url(f"{site_url}/documents/")
    journey.check("my documents")
    expect(page.get_by_role("heading", level=3, name=re.compile("Autorisation parentale"))).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=re.compile("Certificat de scolarité"))).to_be_visible()

    # Signing out, from the phone menu.
    journey.open_menu()
    page.locator("#main-menu").get_by_role("button", name=fr("Sign out"), exact=True).click()
    page.wait_for_url(f"{site_url}/")
    journey.check("home page, signed out")
    journey.open_menu()
    expect(page.locator("#main-menu").get_by_role("link", name=fr("Sign in"), exact=True)).to_be_visible()
    assert page.goto(f"{site_url}/record/").url.startswith(f"{site_url}/sign-in/")

    assert not journey.problems and not journey.untranslated, report(journey)


# --- Login and password reset -------------------------------------------------------------


def test_login_and_password_reset_pages_tell_nothing_about_accounts(phone, site_url, live_world, mailoutbox, only_link):
    page = phone
    journey = Journey(page, site_url)
    fr = journey.fr
    known = make_user("known.pupil@example.org")
    make_user("sleeping.pupil@example.org", is_active=False)
    main = page.get_by_role("main")

    assert page.goto(f"{site_url}/account/login/").status == 200
    journey.check("login")
    email_field = page.get_by_label(fr("E-mail address"), exact=True)
    expect(email_field).to_be_focused()  # autofocus: a phone user types at once
    sign_in = page.locator("main").get_by_role("button", name=fr("Sign in"), exact=True)
    submit(sign_in)
    expect(email_field).to_have_attribute("aria-invalid", "true")
    journey.check_errors("login submitted empty")
    journey.check("login with errors")

    def failed_login(address, password):
        email_field.fill("")
        type_into(email_field, address)
        type_into(page.get_by_label(fr("Password"), exact=True), password)
        submit(sign_in)
        expect(page).to_have_url(f"{site_url}/account/login/")
        alert = page.get_by_role("alert")
        expect(alert).to_be_visible()
        expect(page.get_by_label(fr("Password"), exact=True)).to_have_value("")  # never sent back
        return alert.inner_text(), main.inner_text().replace(address, "<address>")

    wrong_password = failed_login(known.email, "not-the-password-at-all")
    journey.check("login, wrong password")
    unknown_address = failed_login("nobody.here@example.org", "not-the-password-at-all")
    not_activated = failed_login("sleeping.pupil@example.org", "a-long-test-password")
    assert wrong_password[0] == fr("Wrong e-mail address or password, or account not activated yet."), wrong_password
    # Word for word the same page, whether the address has an account, an inactive one, or none.
    assert wrong_password == unknown_address == not_activated

    # The password reset, from the login page.
    main.get_by_role("link", name=fr("Forgotten password?"), exact=True).click()
    page.wait_for_url(f"{site_url}/account/password/reset/")
    journey.check("password reset")
    send = page.get_by_role("button", name=fr("Send the link"), exact=True)
    submit(send)
    expect(page.get_by_label(fr("E-mail address"), exact=True)).to_have_attribute("aria-invalid", "true")
    journey.check_errors("password reset submitted empty")
    journey.check("password reset with errors")

    answers = []
    for address in ("nobody.here@example.org", known.email):
        page.goto(f"{site_url}/account/password/reset/")
        type_into(page.get_by_label(fr("E-mail address"), exact=True), address)
        send.click()
        page.wait_for_url(f"{site_url}/account/sent/password_reset/")
        answers.append(main.inner_text())
    journey.check("password reset sent")
    assert answers[0] == answers[1], "the reset page tells whether the address has an account"
    assert [m.to for m in mailoutbox] == [[known.email]]

    # The link of the e-mail: the new-password form, submitted empty, then filled in.
    reset_url = only_link(mailoutbox[0])
    assert page.goto(reset_url).status == 200
    journey.check("new password")
    save = page.get_by_role("button", name=fr("Save my new password"), exact=True)
    submit(save)
    journey.check_errors("new password submitted empty")
    journey.check("new password with errors")
    new_password = "Marguerite-Train-2032?"
    type_into(page.get_by_label(fr("New password"), exact=True), new_password)
    type_into(page.get_by_label(fr("New password confirmation"), exact=True), new_password)
    save.click()
    page.wait_for_url(f"{site_url}/account/login/")
    expect(page.get_by_role("status")).to_be_visible()
    type_into(page.get_by_label(fr("E-mail address"), exact=True), known.email)
    type_into(page.get_by_label(fr("Password"), exact=True), new_password)
    page.locator("main").get_by_role("button", name=fr("Sign in"), exact=True).click()
    page.wait_for_url(f"{site_url}/record/")

    assert not journey.problems and not journey.untranslated, report(journey)
