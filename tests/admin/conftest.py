import datetime as dt

import pytest
from django.utils import timezone

from apps.academic_calendar.models import Holiday, Vacation
from apps.attestations.models import Attestation, AttestationType
from apps.audit.services import log_action
from apps.content.models import AccompanyingDocument, FaqEntry, PublicPage
from apps.duplicates.models import DuplicateCandidate
from apps.notifications.models import MessageTemplate
from apps.referentials.models import (
    BachelorType,
    CancellationReason,
    GeneralSpeciality,
    HighSchoolLevel,
    PostBachelorLevel,
    PublicType,
    StudentLevel,
    TechnologicalSeries,
)
from apps.registrations.models import CalendarFeed, CourseAlert, GroupRegistration, WaitingListEntry
from apps.tenancy.scoping import for_site
from apps.yearly.models import AnnualStatistics, PurgeRun

BETA = "beta.localhost"


def complete(w):
    """Give every site-owned model at least one row, so that a leak would show."""
    site = w.site
    with for_site(site):
        PublicPage.objects.create(site=site, slug=PublicPage.Slug.PROCEDURE, title="Procédure", body="<p>Texte</p>")
        FaqEntry.objects.create(site=site, question="Qui peut s'inscrire ?", answer="<p>Les lycéens.</p>")
        AccompanyingDocument.objects.create(site=site, title="Livret", file="public-documents/test.pdf")
        low, high = sorted((w.pupil.pk, w.other_pupil.pk))
        DuplicateCandidate.objects.create(site=site, user_a_id=low, user_b_id=high)
        w.attestation_type = AttestationType.objects.create(
            site=site, label="Autorisation parentale", for_pupils_with_agreement=True
        )
        w.attestation = Attestation.objects.create(
            site=site,
            user=w.pupil,
            attestation_type=w.attestation_type,
            file="attestations/test.pdf",
            original_name="autorisation.pdf",
            content_type="application/pdf",
            size=1,
        )
        HighSchoolLevel.objects.create(site=site, label="Terminale")
        PostBachelorLevel.objects.create(site=site, label="BTS 1re année")
        StudentLevel.objects.create(site=site, label="Licence 1")
        BachelorType.objects.create(site=site, label="Général", kind=BachelorType.Kind.GENERAL)
        TechnologicalSeries.objects.create(site=site, label="STI2D", code="STI2D")
        GeneralSpeciality.objects.create(site=site, label="Mathématiques")
        CancellationReason.objects.create(site=site, label="Empêchement")
        PublicType.objects.create(site=site, label="Lycéens")
        Holiday.objects.create(
            site=site, year=w.year, label="Armistice", date=w.year.start_date + dt.timedelta(days=20)
        )
        Vacation.objects.create(
            site=site,
            year=w.year,
            label="Toussaint",
            start_date=w.year.start_date + dt.timedelta(days=30),
            end_date=w.year.start_date + dt.timedelta(days=37),
        )
        w.group_registration = GroupRegistration.objects.create(
            site=site,
            slot=w.event_slot,
            high_school=w.high_school,
            pupils_count=20,
            contact_name="Mme Prof",
            contact_email="prof@example.org",
        )
        WaitingListEntry.objects.create(site=site, slot=w.slot, person=w.other_pupil)
        CourseAlert.objects.create(site=site, course=w.other_course, person=w.pupil)
        CalendarFeed.objects.create(site=site, person=w.pupil)
        MessageTemplate.objects.create(
            site=site, key="registration_confirmed", language="fr", subject="Inscription", body="Bonjour"
        )
        AnnualStatistics.objects.create(
            site=site, year=w.year, figures={"totals": {"registrations": 1}}, computed_at=timezone.now()
        )
        PurgeRun.objects.create(site=site, year=w.year, requested_by=w.master_referent, dry_run=True, status="done")
        log_action("tenancy.site.changed", site=site, actor=w.master_referent, obj=site)
    return w


@pytest.fixture
def alpha(world):
    return complete(world)


@pytest.fixture
def beta(other_world):
    return complete(other_world)


@pytest.fixture(scope="class")
def class_alpha(class_world):
    """``alpha``, built once for a test class (see ``class_db`` in tests/conftest.py)."""
    return complete(class_world)


@pytest.fixture(scope="class")
def class_beta(class_other_world):
    """``beta``, built once for a test class (see ``class_db`` in tests/conftest.py)."""
    return complete(class_other_world)


@pytest.fixture
def master_client(client, alpha):
    client.force_login(alpha.master_referent)
    return client


@pytest.fixture
def operator_client(client, alpha):
    client.force_login(alpha.operator)
    return client
