"""The staff face: every staff page under /back-office/, old addresses answering 301, one grouped navigation."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.records.models import PupilRecord, RecordStatus, VisitorRecord
from tests.core.url_sweep import all_urls, plausible
from tests.factories import grant, make_user

HOME = reverse("staff:home")

#: (old address, the URL name and arguments of the page it moved to).
MOVED = [
    ("/staff/", "staff:home", ()),
    ("/staff/charter/", "staff:charter", ()),
    ("/staff/invite/", "staff:invite", ()),
    ("/staff/people/", "staff:people", ()),
    ("/staff/roles/4/revoke/", "staff:revoke", (4,)),
    ("/staff/invitation/password/", "staff:choose_password", ()),
    ("/staff/invitation/Zx8-kq_2/", "staff:accept_invitation", ("Zx8-kq_2",)),
    ("/dashboard/", "dashboards:home", ()),
    ("/dashboard/panels/slots/", "dashboards:panel", ("slots",)),
    ("/statistics/", "statistics:home", ()),
    ("/statistics/export/registrations.csv", "statistics:export", ("registrations", "csv")),
    ("/duplicates/", "duplicates:list", ()),
    ("/duplicates/3/", "duplicates:review", (3,)),
    ("/record/validation/", "records:pending", ()),
    ("/record/validation/bulk/", "records:bulk_validate", ()),
    ("/record/validation/pupil/5/", "records:review", ("pupil", 5)),
    ("/record/validation/pupil/5/undo-rejection/", "records:undo_rejection", ("pupil", 5)),
    ("/my-immersions/pupils/", "registrations:pupils_immersions", ()),
    ("/my-immersions/pupils/register/6/", "registrations:register_pupils", (6,)),
    ("/my-immersions/groups/", "registrations:groups", ()),
    ("/my-immersions/groups/7/class-list/", "registrations:group_class_list", (7,)),
]

#: Namespaces whose every page is a staff page.
STAFF_NAMESPACES = ("staff", "backoffice", "dashboards", "statistics", "duplicates", "notifications", "yearly")
#: The staff pages of namespaces shared with the registrants' own pages.
STAFF_NAMES = {
    "records": {"pending", "bulk_validate", "review", "validate", "reject", "undo_rejection"},
    "registrations": {
        "pupils_immersions",
        "register_pupils",
        "cancel_pupil_registration",
        "groups",
        "register_group",
        "cancel_group",
        "group_class_list",
    },
}
#: The registrants' pages stay where they were.
REGISTRANT_PAGES = {
    "records:home": "/record/",
    "records:edit": "/record/edit/",
    "registrations:mine": "/my-immersions/",
    "registrations:calendar": "/my-immersions/calendar/",
    "attestations:mine": "/documents/",
    "privacy:home": "/my-data/",
    "accounts:login": "/account/login/",
}


def test_every_staff_page_lives_under_back_office():
    staff_pages = []
    for address, name, _parameters in all_urls(plausible):
        namespace, _sep, short = name.rpartition(":")
        if namespace in STAFF_NAMESPACES or short in STAFF_NAMES.get(namespace, ()):
            staff_pages.append((address, name))
    assert len(staff_pages) > 100
    misplaced = [(address, name) for address, name in staff_pages if not address.startswith("/back-office/")]
    assert not misplaced
    for name, address in REGISTRANT_PAGES.items():
        assert reverse(name) == address


@pytest.mark.django_db
def test_old_addresses_answer_a_permanent_redirect_keeping_the_path_and_the_query(client, world):
    for old, name, args in MOVED:
        new = reverse(name, args=args)
        assert new.startswith("/back-office/"), new
        for query in ("", "?page=2&q=%C3%A9l%C3%A8ve+a%26b"):
            response = client.get(old + query)
            assert response.status_code == 301, old
            assert response["Location"] == new + query, old
        assert resolve(new).view_name == name
    # Signed in or not, the redirect is the same, and it keeps the rest of the path as it was sent.
    client.force_login(world.master_referent)
    response = client.get("/record/validation/pupil/5/%3Fx/")
    assert response.status_code == 301 and response["Location"] == "/back-office/records/validation/pupil/5/%3Fx/"
    # The registrants' pages did not move.
    client.force_login(world.pupil)
    assert client.get("/record/").status_code == 200
    assert client.get("/my-immersions/").status_code == 200


NAV = re.compile(r'<nav aria-labelledby="tasks-title" id="tasks">(.*?)</nav>', re.S)
GROUP = re.compile(r'<h3 class="h5 card-header" id="group-([\w-]+)">.*?</ul>', re.S)
TASK = re.compile(r'id="task-([\w-]+)"')

MASTER = {
    "offer": {"courses", "events", "slots", "trainings"},
    "registrations": {"dashboard"},
    "records": {"records", "duplicates", "attestation-types"},
    "people": {"people", "invite", "charter", "charters"},
    "organisations": {"establishments", "structures", "high-schools"},
    "settings": {"site-settings", "sign-in", "host-names", "reference", "calendar", "public-texts", "admin"},
    "log": {"log"},
    "messages": {"messages"},
    "statistics": {"statistics"},
    "year-end": {"yearly"},
}
OFFER = {"courses", "events", "slots", "trainings"}
EXPECTED = {
    "master_referent": MASTER,
    "operator": MASTER,
    "establishment_referent": {
        "offer": OFFER,
        "registrations": {"dashboard"},
        "records": {"records"},
        "people": {"people", "invite", "charter"},
        "organisations": {"establishments", "structures"},
        "log": {"log"},
        "statistics": {"statistics"},
    },
    "structure_referent": {
        "offer": OFFER,
        "registrations": {"dashboard"},
        "people": {"people", "invite", "charter"},
        "statistics": {"statistics"},
    },
    "consultant": {"offer": OFFER, "people": {"charter"}, "statistics": {"statistics"}},
    "speaker": {"offer": {"my-slots"}, "registrations": {"dashboard"}, "people": {"charter"}},
    "high_school_referent": {
        "registrations": {"dashboard", "pupils", "groups"},
        "records": {"records"},
        "people": {"charter"},
        "statistics": {"statistics"},
    },
    "legal": {"people": {"charter"}},
}


def navigation(html):
    (nav,) = NAV.findall(html)
    return {match[1]: set(TASK.findall(match[0])) for match in GROUP.finditer(nav)}


@pytest.mark.django_db
def test_the_navigation_shows_each_role_its_links_grouped_by_task(client, world):
    opened = set()
    for who, expected in EXPECTED.items():
        client.force_login(getattr(world, who))
        response = client.get(HOME)
        assert response.status_code == 200
        html = response.content.decode()
        assert navigation(html) == expected, who
        assert html.count("<h1") == 1 and 'aria-current="page"' not in NAV.findall(html)[0]
        for group in response.context["groups"]:
            for link in group.links:
                if (who, link.url) in opened or link.key == "admin":
                    continue
                opened.add((who, link.url))
                assert client.get(link.url).status_code == 200, (who, link.url)  # each link opens for its role
    for user in (world.pupil, world.visitor):
        client.force_login(user)
        assert client.get(HOME).status_code == 403


@pytest.mark.django_db
def test_the_navigation_costs_a_constant_number_of_queries(client, in_site):
    w = in_site
    grant(w.master_referent, w.site, Role.SPEAKER, establishment=w.master)
    grant(w.master_referent, w.site, Role.HIGH_SCHOOL_REFERENT, high_school=w.high_school)
    client.force_login(w.master_referent)
    client.get(HOME)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
        assert response.status_code == 200
        return len(queries), navigation(response.content.decode())

    few, shown = count()
    assert {"pupils", "groups"} <= shown["registrations"] and "my-slots" in shown["offer"]
    grant(w.master_referent, w.site, Role.SPEAKER, establishment=w.host)
    grant(w.master_referent, w.site, Role.HIGH_SCHOOL_REFERENT, high_school=w.host_high_school)
    for _n in range(5):
        PupilRecord.objects.create(
            site=w.site, user=make_user(), high_school=w.high_school, status=RecordStatus.TO_VALIDATE
        )
        VisitorRecord.objects.create(
            site=w.site, user=make_user(), status=RecordStatus.TO_VALIDATE, submitted_at=timezone.now()
        )
    assert count() == (few, shown)
