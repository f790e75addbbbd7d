"""Establishments (linked to the national directory), structures, campuses, buildings, high schools."""

import datetime as dt
from dataclasses import dataclass, field

from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure

from . import ensure, osm_url

ESTABLISHMENT_FIELDS = ("label", "uai", "address", "zip_code", "city", "email", "phone", "website")
HIGH_SCHOOL_FIELDS = ("label", "address", "zip_code", "city", "email", "phone")


@dataclass
class Organisations:
    establishments: dict = field(default_factory=dict)  # code -> Establishment
    structures: dict = field(default_factory=dict)  # code -> Structure
    structure_campus: dict = field(default_factory=dict)  # structure code -> Campus
    campuses: dict = field(default_factory=dict)  # label -> Campus
    buildings: dict = field(default_factory=dict)  # campus label -> [Building]
    high_schools: dict = field(default_factory=dict)  # UAI -> HighSchool

    @property
    def master(self):
        return next(e for e in self.establishments.values() if e.is_master)

    def building(self, campus_label, label):
        return next(b for b in self.buildings[campus_label] if b.label == label)


def _agreement(kind, year):
    """Agreement dates for a high school: signed last year and open-ended, this year only, or none."""
    if kind == "signed":
        return {"agreement_start": year.start_date - dt.timedelta(days=365), "agreement_end": None}
    if kind == "year":
        return {"agreement_start": year.start_date, "agreement_end": year.end_date}
    return {"agreement_start": None, "agreement_end": None}


def build_organisations(site, spec, stats, calendar):
    orgs = Organisations()
    uais = [e["uai"] for e in spec["establishments"]]
    institutions = {i.uai: i for i in HigherEducationInstitution.objects.filter(uai__in=uais)}
    for item in spec["establishments"]:
        values = {name: item.get(name, "") for name in ESTABLISHMENT_FIELDS}
        values["is_master"] = bool(item.get("is_master"))
        values["institution"] = institutions.get(item["uai"])
        values["is_active"] = True
        orgs.establishments[item["code"]] = ensure(stats, Establishment, site, {"code": item["code"]}, values)

    for item in spec["campuses"]:
        establishment = orgs.establishments[item["establishment"]]
        values = {name: item[name] for name in ("address", "zip_code", "city")}
        campus = ensure(stats, Campus, site, {"establishment": establishment, "label": item["label"]}, values)
        orgs.campuses[item["label"]] = campus
        orgs.buildings[item["label"]] = [
            ensure(stats, Building, site, {"campus": campus, "label": label}, {"map_url": osm_url(lat, lon)})
            for label, lat, lon in item["buildings"]
        ]

    for establishment_code, code, label, campus_label in spec["structures"]:
        establishment = orgs.establishments[establishment_code]
        email = f"{code.lower()}@{spec['site']['email_domain']}"
        structure = ensure(
            stats,
            Structure,
            site,
            {"establishment": establishment, "code": code},
            {"label": label, "email": email, "is_active": True},
        )
        orgs.structures[code] = structure
        orgs.structure_campus[code] = orgs.campuses[campus_label]

    school_uais = [h["uai"] for h in spec["high_schools"]]
    entries = {e.uai: e for e in SchoolDirectoryEntry.objects.filter(uai__in=school_uais)}
    for item in spec["high_schools"]:
        values = {name: item.get(name, "") for name in HIGH_SCHOOL_FIELDS}
        values["email"] = values["email"] or f"lycee-{item['uai'].lower()}@{spec['site']['email_domain']}"
        values["directory_entry"] = entries.get(item["uai"])
        values["hosts_post_bac_trainings"] = bool(item.get("hosts_post_bac_trainings"))
        values["accepts_individual_immersions"] = item.get("accepts_individual_immersions", True)
        values["is_active"] = True
        orgs.high_schools[item["uai"]] = ensure(
            stats,
            HighSchool,
            site,
            {"uai": item["uai"]},
            values,
            on_create=_agreement(item.get("agreement"), calendar.year),
        )
    return orgs
