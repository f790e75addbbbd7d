"""Builders shared by the duplicates and privacy tests."""

import datetime as dt

from apps.accounts.models import Role
from apps.duplicates.models import DuplicateCandidate
from apps.records.services import RECORD_KINDS
from apps.tenancy.scoping import for_site, platform_job
from tests.factories import grant, make_user

BIRTH = dt.date(2008, 3, 14)


def person(site, first_name, last_name, birth_date=BIRTH, role=Role.PUPIL, email=None, **record_fields):
    """A registrant of ``site`` with a record of ``role``'s kind (saved: the check runs)."""
    with for_site(site):
        user = make_user(email)
        user.first_name, user.last_name = first_name, last_name
        user.save()
        grant(user, site, role)
        RECORD_KINDS[role].objects.create(site=site, user=user, birth_date=birth_date, **record_fields)
    return user


def pair(site, first, second):
    low, high = sorted((first.pk, second.pk))
    with platform_job():
        return DuplicateCandidate.objects.filter(site=site, user_a_id=low, user_b_id=high).first()


def candidates(site):
    with platform_job():
        return list(DuplicateCandidate.objects.filter(site=site))


def document_models():
    """The attestation models."""
    from apps.attestations.models import Attestation, AttestationType

    return AttestationType, Attestation


def document(site, user, label="Insurance", archived=False):
    """A stored attestation of ``user`` (its file written to the private storage)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    type_model, model = document_models()
    content = b"%PDF-1.4\n%%EOF\n"
    with for_site(site):
        kind, _ = type_model.objects.get_or_create(site=site, label=label, defaults={"for_visitors": True})
        return model.objects.create(
            site=site,
            user=user,
            attestation_type=kind,
            file=ContentFile(content, name="scan.pdf"),
            original_name="scan.pdf",
            content_type="application/pdf",
            size=len(content),
            archived_at=timezone.now() if archived else None,
        )
