"""Read side of federated sign-in: the site's settings, the sign-in chooser, EduConnect's levels."""

import unicodedata
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.referentials.models import HighSchoolLevel

from .metadata import entity_ids_in
from .models import FederationSettings

POPULATIONS = {
    "pupil": _("High-school pupil"),
    "student": _("Higher-education student"),
    "staff": _("Staff (universities, high schools)"),
    "visitor": _("Visitor"),
}


@dataclass(frozen=True)
class Method:
    key: str
    label: str
    url: str
    help: str = ""
    secondary_url: str = ""
    secondary_label: str = ""


@dataclass(frozen=True)
class Chooser:
    population: str
    population_label: str
    methods: list = field(default_factory=list)


def federation_settings(site):
    """The site's sign-in settings, or None (then only local accounts are offered). One query."""
    if site is None:
        return None
    return FederationSettings.objects.filter(site=site).first()


def shibboleth_idps(federation):
    try:
        return entity_ids_in(federation.shibboleth_metadata_xml) if federation.shibboleth_metadata_xml else []
    except ValueError:
        return []


def _with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _local(population, next_url, signup=True):
    return Method(
        key="local",
        label=_("E-mail address and password"),
        url=_with_next(reverse("accounts:login"), next_url),
        help=_("With the account you created on this site."),
        secondary_url=reverse("accounts:signup") + f"?{urlencode({'population': population})}" if signup else "",
        secondary_label=_("Create an account") if signup else "",
    )


def cas_available(federation):
    return bool(federation and federation.cas_enabled and federation.cas_server_url)


def shibboleth_available(federation):
    return bool(federation and federation.shibboleth_enabled and federation.shibboleth_metadata_xml)


def educonnect_available(federation):
    return bool(federation and federation.educonnect_enabled and federation.educonnect_metadata_xml)


def chooser(site, population, next_url=""):
    """The sign-in methods the site offers to a population, in the order they are shown."""
    federation = federation_settings(site)
    methods = []
    if population == "pupil":
        if educonnect_available(federation):
            methods.append(
                Method(
                    "educonnect",
                    _("EduConnect"),
                    _with_next(reverse("federation:saml_login", args=["educonnect"]), next_url),
                    _("With the account your high school gave you (EduConnect)."),
                )
            )
        if federation is None or federation.local_pupils_enabled:
            methods.append(_local(population, next_url))
    elif population == "student":
        if shibboleth_available(federation):
            methods.append(
                Method(
                    "shibboleth",
                    _("My university account (RENATER)"),
                    _with_next(reverse("federation:saml_login", args=["shibboleth"]), next_url),
                    _("Through the education and research identity federation."),
                )
            )
        if federation is not None and federation.local_students_enabled:
            methods.append(_local(population, next_url))
    elif population == "staff":
        if cas_available(federation):
            establishments = ", ".join(e.label for e in federation.cas_establishments.all())
            methods.append(
                Method(
                    "cas",
                    federation.cas_label or _("My institution's account (CAS)"),
                    _with_next(reverse("federation:cas_login"), next_url),
                    establishments,
                )
            )
        if shibboleth_available(federation) and federation.shibboleth_for_staff:
            methods.append(
                Method(
                    "shibboleth",
                    _("My institution's account (RENATER)"),
                    _with_next(reverse("federation:saml_login", args=["shibboleth"]), next_url),
                    _("Your account must have been created by your referent first."),
                )
            )
        methods.append(_local(population, next_url, signup=False))
    elif population == "visitor":
        methods.append(_local(population, next_url))
    return Chooser(population, POPULATIONS.get(population, ""), methods)


# --- EduConnect's levels -------------------------------------------------------------------------

#: Words a level may also come as (besides a MEFSTAT4 code), and the level label they stand for.
LEVEL_WORDS = {
    "2nde": "seconde",
    "2de": "seconde",
    "seconde": "seconde",
    "1ere": "premiere",
    "1re": "premiere",
    "premiere": "premiere",
    "tle": "terminale",
    "term": "terminale",
    "terminale": "terminale",
}


def _plain(text):
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if c.isalnum()).lower()


def educonnect_level(site, value):
    """The site's high-school level an EduConnect level value (FrEduCtEleveNiveau) stands for, or None.

    EduConnect sends a MEFSTAT4 code ("2212" is a first year of the general path), matched
    with the codes of the site's levels; a level word ("2NDE", "1ERE", "TLE") is matched
    with the levels' labels. Anything else gives None: the pupil then chooses the level.
    """
    code = str(value or "").strip()
    if not code:
        return None
    levels = list(HighSchoolLevel.objects.filter(site=site, is_active=True).order_by("position", "pk"))
    for level in levels:
        if code in {part.strip() for part in level.mefstat4_codes.split(",")}:
            return level
    word = LEVEL_WORDS.get(_plain(code))
    return next((level for level in levels if word and _plain(level.label) == word), None)
