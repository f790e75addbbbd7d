"""Reference data and helpers for the record tests."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.organisations.models import HighSchool
from apps.records.models import RecordStatus
from apps.referentials.models import (
    BachelorType,
    GeneralSpeciality,
    HighSchoolLevel,
    PostBachelorLevel,
    PublicType,
    StudentLevel,
    TechnologicalSeries,
)
from apps.tenancy.scoping import for_site, platform_job


def make_references(site):
    with for_site(site):
        r = SimpleNamespace()
        r.seconde = HighSchoolLevel.objects.create(site=site, label="Seconde", position=1)
        r.premiere = HighSchoolLevel.objects.create(site=site, label="Première", position=2, requires_speciality=True)
        r.post_bac = HighSchoolLevel.objects.create(site=site, label="Post-bac", position=4, is_post_bachelor=True)
        r.general = BachelorType.objects.create(site=site, label="Général", kind=BachelorType.Kind.GENERAL)
        r.techno = BachelorType.objects.create(site=site, label="Technologique", kind=BachelorType.Kind.TECHNOLOGICAL)
        r.pro = BachelorType.objects.create(site=site, label="Professionnel", kind=BachelorType.Kind.PROFESSIONAL)
        r.stmg = TechnologicalSeries.objects.create(site=site, label="STMG", code="STMG")
        r.maths = GeneralSpeciality.objects.create(site=site, label="Mathématiques")
        r.physics = GeneralSpeciality.objects.create(site=site, label="Physique-chimie")
        r.bts1 = PostBachelorLevel.objects.create(site=site, label="BTS 1")
        r.licence1 = StudentLevel.objects.create(site=site, label="Licence 1")
        r.teacher = PublicType.objects.create(site=site, label="Enseignant·e")
    return r


@pytest.fixture
def refs(world):
    return make_references(world.site)


@pytest.fixture
def other_refs(other_world):
    return make_references(other_world.site)


@pytest.fixture
def directory(db):
    with platform_job():
        return SimpleNamespace(
            kleber=SchoolDirectoryEntry.objects.get_or_create(
                uai="0670001A", defaults={"label": "Lycée Kléber", "city": "Strasbourg"}
            )[0],
            monnet=SchoolDirectoryEntry.objects.create(uai="0670099Z", label="Lycée Jean Monnet", city="Strasbourg"),
            remote=SchoolDirectoryEntry.objects.create(uai="0680077K", label="Lycée Schweitzer", city="Mulhouse"),
            uha=HigherEducationInstitution.objects.create(
                uai="0681166Y", label="Université de Haute-Alsace", city="Mulhouse"
            ),
        )


@pytest.fixture
def en(client):
    """The test client, in English (the site's default language is French)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def years_ago(years):
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def pupil_post(refs, school, /, **overrides):
    """A complete pupil form (Seconde, professional bac) for a partner high school."""
    data = {
        "kind": "pupil",
        "first_name": "Léa",
        "last_name": "Müller",
        "birth_date": years_ago(16).isoformat(),
        "high_school": str(school.pk),
        "school_uai": "",
        "level": str(refs.seconde.pk),
        "class_name": "2nde 4",
        "bachelor_type": str(refs.pro.pk),
        "phone": "06 12 34 56 78",
    }
    data.update({k: v for k, v in overrides.items() if v is not None})
    return {k: v for k, v in data.items() if v != "__drop__"}


def complete_pupil_record(record, refs, **fields):
    """Make a stored record complete and validated (as after a first validation)."""
    values = dict(
        level=refs.seconde,
        bachelor_type=refs.pro,
        birth_date=years_ago(16),
        status=RecordStatus.VALIDATED,
        validated_at=timezone.now(),
        submitted_at=timezone.now() - dt.timedelta(days=1),
    )
    values.update(fields)
    for name, value in values.items():
        setattr(record, name, value)
    with for_site(record.site):
        record.save()
    return record


def add_high_school(site, label, uai, *, agreement=True):
    with for_site(site):
        return HighSchool.objects.create(
            site=site,
            uai=uai,
            label=label,
            city="Colmar",
            agreement_start=timezone.localdate() if agreement else None,
        )
