"""Services and selectors take no HTTP request.

A page, a job, a command and the admin call the same services and selectors: the site, the
person acting (``by=`` / ``actor=``) and every other input are explicit arguments, and the
links of a message come from the site (:func:`apps.notifications.services.site_base_url`).
This test reads the source of every service and selector module (``ast``, nothing imported)
and fails on a parameter named ``request``, a ``request=`` argument passed on, or any use of
the name ``request``. Nothing is allowed through.

The web face keeps its requests: views, middleware, forms, the back office's list and filter
helpers that read the query string (``backoffice/lists.py``, ``filters.py``), the lock-out and
the limits keyed on the HTTP request (``accounts/lockout.py``, ``accounts/limits.py``) and the
links kept in the session (``accounts/links.py``).
"""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"
#: Modules of the service and selector layers, by name (and every ``*_services.py`` / ``*_selectors.py``).
LAYER_NAMES = {
    "services.py",
    "selectors.py",
    "groups.py",
    "attendance.py",
    "ical.py",
    "tasks.py",
    "panel.py",
    "messages.py",  # each app's messages: what they send goes through send_message
}
#: The notifications app is a service as a whole, but for its web face.
NOTIFICATIONS_FACE = {"views.py", "admin.py", "urls.py", "forms.py", "apps.py"}


def layer_modules():
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        name = path.name
        if (
            name in LAYER_NAMES
            or name.endswith(("_services.py", "_selectors.py"))
            or (path.parent.name == "notifications" and name not in NOTIFICATIONS_FACE)
        ):
            yield path


def request_uses(source, filename="<source>"):
    """Each use of a request in ``source``: (line, what)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.arg) and node.arg == "request":
            found.append((node.lineno, "parameter named request"))
        elif isinstance(node, ast.keyword) and node.arg == "request":
            found.append((node.value.lineno, "request= passed on"))
        elif isinstance(node, ast.Name) and node.id == "request":
            found.append((node.lineno, "name request used"))
    return found


def test_the_check_sees_each_way_a_request_gets_in():
    source = (
        "def a(site, request=None): pass\n"
        "def b(site, **kw):\n    return send_message('k', site=site, request=kw)\n"
        "def c(site):\n    return request.site\n"
        "f = lambda request: 1\n"
    )
    assert [line for line, _what in request_uses(source)] == [1, 3, 5, 6]
    assert request_uses("def d(site, *, by):\n    '''Called outside the request.'''\n    return by\n") == []


def test_no_service_or_selector_takes_a_request():
    modules = list(layer_modules())
    names = {path.relative_to(APPS).as_posix() for path in modules}
    # The walk finds the layers (it would pass on nothing otherwise).
    assert {
        "registrations/services.py",
        "registrations/groups.py",
        "registrations/ical.py",
        "portal/panel.py",
        "accounts/tasks.py",
        "catalogue/offer_services.py",
        "notifications/services.py",
    } <= names, sorted(names)
    problems = [
        f"apps/{path.relative_to(APPS).as_posix()}:{line}: {what}"
        for path in modules
        for line, what in request_uses(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not problems, "Services and selectors take plain values, not the request:\n" + "\n".join(problems)
