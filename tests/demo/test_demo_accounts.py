"""The accounts work on the demo sites: sign-in, records, duplicates, documents, charter, sign-in methods."""

import re

import pytest
from django.db.models import Q

from apps.accounts import policy
from apps.accounts.models import User
from apps.attestations.models import Attestation, AttestationType
from apps.attestations.selectors import document_status, missing_mandatory
from apps.demo.builders.documents import demo_pdf
from apps.demo.specs import DEMO_PASSWORD, SPECS
from apps.duplicates.models import DuplicateCandidate
from apps.federation.models import FederationSettings
from apps.federation.selectors import chooser
from apps.organisations.models import HighSchool
from apps.records.models import PENDING_STATUSES, PupilRecord, RecordStatus, StudentRecord, VisitorRecord
from apps.records.services import is_complete
from apps.staff.models import CharterSignature
from apps.staff.selectors import charter_status, current_charter
from apps.tenancy.scoping import for_site, platform_job

NEW_MODELS = (
    "records.PupilRecord",
    "records.StudentRecord",
    "records.VisitorRecord",
    "attestations.AttestationType",
    "attestations.Attestation",
    "staff.Charter",
    "staff.CharterSignature",
    "federation.FederationSettings",
    "duplicates.DuplicateCandidate",
)
KLEBER, COUFFIGNAL, MARIE_CURIE, MARC_BLOCH = "0670080Y", "0670085D", "0670083B", "0672604S"


def user(email):
    with platform_job():
        return User.objects.get(email=email)


def demo_email(key, site=1):
    return f"{key}@{'demo' if site == 1 else 'site2'}.immersup.test"


def test_the_second_run_adds_no_record_document_or_signature(demo, db):
    for label in NEW_MODELS:
        assert demo.after_first[label] > 0, label
        assert demo.after_first[label] == demo.after_second[label], label
    assert len(demo.files_first) == demo.after_first["attestations.Attestation"]
    assert demo.files_second == demo.files_first


def test_every_demo_account_is_active_and_confirmed(demo, db):
    with platform_job():
        demo_domains = Q(email__endswith="@demo.immersup.test") | Q(email__endswith="@site2.immersup.test")
        accounts = User.objects.filter(demo_domains)
        assert accounts.count() == len(list(demo_logins()))
        for account in accounts:
            assert account.is_active and account.email_confirmed_at is not None, account.email
        assert accounts.get(email=demo_email("pupil07")).check_password(DEMO_PASSWORD)


def demo_logins():
    for spec in SPECS:
        host, domain, slug = spec["site"]["hosts"][0], spec["site"]["email_domain"], spec["site"]["slug"]
        keys = [item["key"] for item in spec["accounts"]]
        keys += [f"pupil{number:02d}" for number in range(1, spec["offer"]["filler_pupils"] + 1)]
        for key in keys:
            yield pytest.param(host, f"{key}@{domain}", id=f"{key}@{slug}")


@pytest.mark.parametrize(("host", "email"), list(demo_logins()))
def test_each_demo_account_signs_in_on_the_local_login_page(demo, db, client, host, email):
    response = client.post("/account/login/", {"email": email, "password": DEMO_PASSWORD}, HTTP_HOST=host, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == "/account/welcome/"
    assert client.session["_auth_user_id"] == str(user(email).pk)


def test_the_demo_pupil_has_a_complete_validated_record_and_every_mandatory_document(demo, db):
    pupil = user(demo_email("pupil"))
    with for_site(demo.one):
        record = PupilRecord.objects.select_related("high_school", "level", "bachelor_type").get(user=pupil)
        assert record.status == RecordStatus.VALIDATED and record.validated_at is not None
        assert record.validated_by == user(demo_email("highschool"))
        assert record.high_school.uai == KLEBER and record.high_school.has_agreement()
        assert record.age() == 16 and record.is_minor()
        assert record.level.label == "Première" and record.bachelor_type.kind == "general"
        assert record.specialities.count() == 3
        assert record.consent_high_school_sees_immersions and record.consent_name_visible_to_registrants
        assert is_complete(record)
        assert missing_mandatory(record) == []
        statuses = {status.attestation_type.label: status for status in document_status(record)}
        assert set(statuses) == {"Autorisation parentale", "Attestation d'assurance responsabilité civile"}
        insurance = statuses["Attestation d'assurance responsabilité civile"].attestation
        assert insurance.validity_date is not None and insurance.content_type == "application/pdf"
        stored = demo.private / insurance.file.name
        assert stored.read_bytes().startswith(b"%PDF-") and stored.stat().st_size == insurance.size


def test_pupil01_misses_the_parental_authorisation(demo, db):
    with for_site(demo.one):
        record = PupilRecord.objects.select_related("high_school").get(user=user(demo_email("pupil01")))
        assert record.is_validated and record.is_minor()
        assert [kind.label for kind in missing_mandatory(record)] == ["Autorisation parentale"]


def test_records_are_complete_and_decided_by_who_may(demo, db):
    for site in (demo.one, demo.two):
        with for_site(site):
            for model in (PupilRecord, StudentRecord, VisitorRecord):
                for record in model.objects.select_related("user", "validated_by"):
                    assert is_complete(record), record
                    assert record.submitted_at is not None
                    if record.status == RecordStatus.VALIDATED:
                        assert record.validated_at >= record.submitted_at
                        if model is StudentRecord:
                            assert record.validated_by is None  # validated at once, as save_record does
                        else:
                            assert policy.can(record.validated_by, policy.Action.VALIDATE, record, site), record
                    if record.status == RecordStatus.REJECTED:
                        assert record.rejection_reason and record.rejected_at is not None
    with for_site(demo.one):
        fillers = PupilRecord.objects.filter(user__email__startswith="pupil0").select_related("high_school", "level")
        assert {record.high_school.uai for record in fillers} == {KLEBER, COUFFIGNAL, MARIE_CURIE, MARC_BLOCH}
        assert {record.level.label for record in fillers} == {"Seconde", "Première", "Terminale", "Post-bac"}
        assert PupilRecord.objects.filter(user__email__startswith="pupil", status=RecordStatus.VALIDATED).count() == 21
        student = StudentRecord.objects.select_related("institution").get()
        assert student.is_validated and student.institution.uai == "0542493S"
        visitor = VisitorRecord.objects.get()
        assert visitor.status == RecordStatus.TO_VALIDATE and visitor.user.email == demo_email("visitor")
        rejected = PupilRecord.objects.get(status=RecordStatus.REJECTED)
        assert rejected.user.email == demo_email("rejected") and rejected.high_school.uai == KLEBER


def pending(site, email, model):
    actor = policy.actor_for(user(email), site)
    with for_site(site):
        records = model.objects.filter(site=site, status__in=PENDING_STATUSES)
        return set(records.filter(policy.record_validation_filter(actor, model)).values_list("user__email", flat=True))


def test_each_validator_has_the_records_it_should_see_waiting(demo, db):
    assert pending(demo.one, demo_email("highschool"), PupilRecord) == {demo_email("pending.kleber")}
    assert pending(demo.one, demo_email("establishment"), PupilRecord) == {demo_email("pending.bloch")}
    assert pending(demo.one, demo_email("insa"), PupilRecord) == {demo_email("pending.bloch")}
    assert pending(demo.one, demo_email("hosthighschool"), PupilRecord) == set()
    assert pending(demo.one, demo_email("master"), PupilRecord) == {
        demo_email("pending.kleber"),
        demo_email("pending.bloch"),
        demo_email("elodie.m67"),
    }
    assert pending(demo.one, demo_email("master"), VisitorRecord) == {demo_email("visitor")}
    assert pending(demo.two, demo_email("master", site=2), PupilRecord) == set()


def test_one_possible_duplicate_pair_for_the_master_referent(demo, db):
    with platform_job():
        candidate = DuplicateCandidate.objects.select_related("user_a", "user_b").get()
        assert candidate.site == demo.one and candidate.is_open
        assert {candidate.user_a.email, candidate.user_b.email} == {
            demo_email("elodie.martin"),
            demo_email("elodie.m67"),
        }


def test_attestation_types_of_site_one_only(demo, db):
    with for_site(demo.one):
        types = {kind.label: kind for kind in AttestationType.objects.all()}
        assert list(types) == [
            "Autorisation parentale",
            "Attestation d'assurance responsabilité civile",
            "Certificat de scolarité",
        ]
        parental, insurance, certificate = types.values()
        assert parental.mandatory and parental.minors_only and not parental.for_visitors
        assert parental.for_pupils_with_agreement and parental.for_pupils_without_agreement
        assert insurance.mandatory and insurance.requires_validity_date and insurance.for_visitors
        assert not certificate.mandatory and certificate.for_pupils_without_agreement
        assert not certificate.for_pupils_with_agreement
        optional = Attestation.objects.get(attestation_type=certificate)
        assert optional.user.email == demo_email("pending.bloch")
    with for_site(demo.two):
        assert not AttestationType.objects.exists()


def test_the_charter_waits_for_the_host_high_school_only(demo, db):
    with for_site(demo.one):
        charter = current_charter(demo.one)
        assert charter.version == "2026-1" and charter.published_at is not None
        signatures = CharterSignature.objects.filter(charter=charter).select_related("establishment", "signed_by")
        assert {s.establishment.code for s in signatures} == {"UHA", "INSA"}
        assert {s.signed_by.email for s in signatures} == {demo_email("establishment"), demo_email("insa")}
        assert not signatures.filter(high_school__isnull=False).exists()
        host = policy.actor_for(user(demo_email("hosthighschool")), demo.one)
        status = charter_status(host, demo.one)
        assert not status.is_satisfied and not status.unsigned_establishment_ids
        assert status.unsigned_high_school_ids == {HighSchool.objects.get(uai=COUFFIGNAL).pk}
        for key in ("establishment", "insa", "highschool", "structure", "speaker", "legal"):
            assert charter_status(policy.actor_for(user(demo_email(key)), demo.one), demo.one).is_satisfied, key
    with for_site(demo.two):
        assert current_charter(demo.two) is None


def test_both_sites_offer_local_accounts_only(demo, db):
    for site in (demo.one, demo.two):
        with for_site(site):
            settings = FederationSettings.objects.get()
            assert settings.local_pupils_enabled and settings.local_students_enabled
            assert not (settings.cas_enabled or settings.shibboleth_enabled or settings.educonnect_enabled)
            for population in ("pupil", "student", "staff", "visitor"):
                assert [method.key for method in chooser(site, population).methods] == ["local"]


def test_the_command_says_what_each_account_can_try(demo, db):
    assert "What to try" in demo.first_out
    assert "highschool@demo.immersup.test: validation list: one pupil waiting" in demo.first_out
    assert "elodie.m67@demo.immersup.test" in demo.first_out
    assert "1 possible duplicate(s) to review; charter 2026-1." in demo.first_out


def test_the_demo_pdf_is_well_formed():
    pdf = demo_pdf("Autorisation parentale", "Élodie Martin (L'Œuvre)", "ImmerSup Alsace")
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    offsets = [int(offset) for offset in re.findall(rb"^(\d{10}) 00000 n $", pdf, re.M)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    startxref = int(re.search(rb"startxref\n(\d+)\n", pdf)[1])
    assert pdf[startxref:].startswith(b"xref\n")
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", pdf)[1])
    stream = pdf.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")
    assert b"(Autorisation parentale) Tj" in pdf and b"(\xc9lodie Martin \\(L'\x8cuvre\\)) Tj" in pdf
