"""The staff face's one navigation: its links grouped by task, each shown only to whom it serves.

Built from :func:`apps.staff.selectors.home_summary` (the policy's answers, a fixed number of
queries) and the actor's roles; reversing the URLs costs no query. Each link keeps the
``task-<key>`` id the home page has always given it.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.policy import may_read_log


@dataclass(frozen=True)
class Link:
    key: str
    label: object
    url: str
    #: A count shown beside the link (the records waiting), or None.
    count: int | None = None


@dataclass(frozen=True)
class Group:
    key: str
    title: object
    links: tuple


def _link(key, label, url_name, *, count=None):
    try:
        url = reverse(url_name)
    except NoReverseMatch:  # an area whose app is not installed
        return None
    return Link(key, label, url, count)


def _groups(actor, summary):
    master = summary.may_manage_reference
    yield (
        "offer",
        _("Offer"),
        [
            summary.may_see_offer and _link("courses", _("Courses"), "backoffice:offer_course_list"),
            summary.may_see_offer and _link("events", _("Events"), "backoffice:offer_event_list"),
            summary.may_see_offer and _link("slots", _("Slots"), "backoffice:slots_list"),
            summary.may_see_offer and _link("trainings", _("Trainings"), "backoffice:organisations_training_list"),
            summary.is_speaker and _link("my-slots", _("My slots"), "backoffice:offer_my_slots"),
        ],
    )
    high_school = Role.HIGH_SCHOOL_REFERENT in actor.roles
    yield (
        "registrations",
        _("Registrations and attendance"),
        [
            summary.has_dashboard and _link("dashboard", _("Dashboard"), "dashboards:home"),
            high_school and _link("pupils", _("My pupils' immersions"), "registrations:pupils_immersions"),
            high_school and _link("groups", _("Group registrations"), "registrations:groups"),
        ],
    )
    yield (
        "records",
        _("Records and documents"),
        [
            summary.may_validate
            and _link(
                "records",
                _("Records to validate"),
                "records:pending",
                count=summary.pending_records,
            ),
            summary.may_review_duplicates and _link("duplicates", _("Possible duplicate accounts"), "duplicates:list"),
            master and _link("attestation-types", _("Attestation types"), "backoffice:attestation_types"),
        ],
    )
    yield (
        "people",
        _("People and roles"),
        [
            summary.may_grant and _link("people", _("People and their roles"), "staff:people"),
            summary.may_grant and _link("invite", _("Invite a person"), "staff:invite"),
            _link("charter", _("The charter"), "staff:charter"),
            master and _link("charters", _("Charter versions"), "backoffice:charters"),
        ],
    )
    yield (
        "organisations",
        _("Establishments and high schools"),
        [
            summary.may_manage_places
            and _link("establishments", _("Establishments"), "backoffice:organisations_establishment_list"),
            summary.may_manage_places
            and _link("structures", _("Structures and places"), "backoffice:organisations_structure_list"),
            master and _link("high-schools", _("High schools"), "backoffice:organisations_highschool_list"),
        ],
    )
    yield (
        "settings",
        _("Site settings and reference data"),
        [
            master and _link("site-settings", _("Site settings"), "backoffice:reference_site_settings"),
            master and _link("sign-in", _("Sign-in methods"), "backoffice:sign_in_settings"),
            master and _link("host-names", _("Host names"), "backoffice:host_names"),
            master and _link("reference", _("Reference data"), "backoffice:reference_index"),
            master and _link("calendar", _("Calendar"), "backoffice:reference_years"),
            master and _link("public-texts", _("Public texts"), "backoffice:content_index"),
            summary.may_use_admin and _link("admin", _("Site administration"), "admin:index"),
        ],
    )
    yield (
        "log",
        _("Action log"),
        [may_read_log(actor, actor.site_id) and _link("log", _("Who did what, and when"), "backoffice:log")],
    )
    yield "messages", _("Messages"), [master and _link("messages", _("Messages"), "notifications:message_list")]
    yield (
        "statistics",
        _("Statistics and exports"),
        [summary.may_see_statistics and _link("statistics", _("Statistics and exports"), "statistics:home")],
    )
    yield "year-end", _("Year end"), [master and _link("yearly", _("Yearly cycle"), "yearly:years")]


def staff_navigation(actor, summary):
    """The groups of links this actor may follow, in task order; groups without a link are left out."""
    groups = []
    for key, title, links in _groups(actor, summary):
        shown = tuple(link for link in links if link)
        if shown:
            groups.append(Group(key, title, shown))
    return tuple(groups)
