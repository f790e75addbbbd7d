"""Every rule of the registration engine (``rules.evaluate``), for each authority."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override

from apps.accounts.models import Role
from apps.attestations.models import Attestation, AttestationType
from apps.catalogue.models import Slot
from apps.organisations.models import HighSchool
from apps.records.models import PupilRecord
from apps.referentials.models import BachelorType, GeneralSpeciality, HighSchoolLevel, TechnologicalSeries
from apps.registrations.models import Registration
from apps.registrations.rules import Authority, Code, cancellation_problem, evaluate, restriction_problems
from apps.registrations.services import register
from apps.tenancy.models import Site
from tests.factories import grant, make_pupil, make_slot, make_user

new_pupil = make_pupil


def fresh_slot(w, course=None, days=10, **fields):
    return make_slot(w, course or w.course, days=days, **fields)


def site_with(w, **values):
    Site.objects.filter(pk=w.site.pk).update(**values)
    return Site.objects.get(pk=w.site.pk)


def check(w, slot, person, by=None, **kwargs):
    return evaluate(Slot.objects.get(pk=slot.pk), person, by=by or person, site=kwargs.pop("site", w.site), **kwargs)


# --- Who registers whom -----------------------------------------------------------------------------


def test_a_validated_pupil_may_register_themselves(in_site):
    w = in_site
    pupil, slot = new_pupil(w), fresh_slot(w)
    decision = check(w, slot, pupil)
    assert decision.allowed and decision.authority == Authority.SELF
    assert decision.message == "" and decision.codes == []
    assert decision.registration_closes_at is not None and decision.cancellation_closes_at is not None


@pytest.mark.parametrize(
    ("who", "authority"),
    [
        ("high_school_referent", Authority.HIGH_SCHOOL),
        ("structure_referent", Authority.MANAGER),
        ("establishment_referent", Authority.ESTABLISHMENT),
        ("master_referent", Authority.ESTABLISHMENT),
        ("operator", Authority.ESTABLISHMENT),
    ],
)
def test_authorities_that_may_register_a_pupil(in_site, who, authority):
    w = in_site
    decision = check(w, fresh_slot(w), new_pupil(w), by=getattr(w, who))
    assert decision.authority == authority
    assert decision.allowed


@pytest.mark.parametrize(
    "who", ["host_high_school_referent", "host_referent", "speaker", "consultant", "other_pupil", "legal"]
)
def test_others_may_not_register_a_pupil(in_site, who):
    w = in_site
    decision = check(w, fresh_slot(w), new_pupil(w), by=getattr(w, who))
    assert decision.authority == Authority.NONE
    assert decision.codes == [Code.NOT_ALLOWED]
    assert decision.message


def test_a_high_school_referent_registers_only_pupils_of_their_high_school(in_site):
    w = in_site
    slot = fresh_slot(w)
    theirs, elsewhere = new_pupil(w), new_pupil(w, high_school=w.host_high_school)
    assert check(w, slot, theirs, by=w.high_school_referent).allowed
    assert check(w, slot, elsewhere, by=w.high_school_referent).codes == [Code.NOT_ALLOWED]
    assert check(w, slot, elsewhere, by=w.host_high_school_referent).authority == Authority.HIGH_SCHOOL


def test_a_staff_member_without_a_registrant_role_may_not_register_themselves(in_site):
    w = in_site
    assert check(w, fresh_slot(w), w.speaker).codes == [Code.NOT_ALLOWED]


# --- The person -----------------------------------------------------------------------------------------


def test_record_missing_or_not_validated(in_site):
    w = in_site
    slot = fresh_slot(w)
    assert Code.RECORD_NOT_VALIDATED in check(w, slot, w.other_pupil).codes
    no_record = make_user()
    grant(no_record, w.site, Role.PUPIL)
    with override("en"):
        decision = check(w, slot, no_record)
    assert decision.codes == [Code.NO_RECORD]
    assert decision.message == "Complete your record before registering."
    # Not forcible, even by the master referent.
    forced = check(w, slot, w.other_pupil, by=w.master_referent, force=[Code.RECORD_NOT_VALIDATED])
    assert Code.RECORD_NOT_VALIDATED in forced.codes and not forced.could_force


def test_a_deactivated_account_is_refused(in_site):
    w = in_site
    pupil = new_pupil(w)
    pupil.is_active = False
    pupil.save()
    decision = check(w, fresh_slot(w), pupil, by=w.high_school_referent)
    assert decision.codes == [Code.ACCOUNT_INACTIVE]


def test_mandatory_documents(in_site):
    w = in_site
    slot, pupil = fresh_slot(w), new_pupil(w)
    kind = AttestationType.objects.create(
        site=w.site, label="Autorisation parentale", for_pupils_with_agreement=True, mandatory=True
    )
    decision = check(w, slot, pupil)
    assert decision.codes == [Code.DOCUMENTS_MISSING]
    assert "Autorisation parentale" in decision.message
    assert check(w, slot, pupil, by=w.master_referent, force=[Code.DOCUMENTS_MISSING]).codes == [Code.DOCUMENTS_MISSING]
    Attestation.objects.create(
        site=w.site,
        user=pupil,
        attestation_type=kind,
        file="attestations/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
    )
    assert check(w, slot, pupil).allowed
    # A pupil of a high school without an agreement does not need it.
    assert check(w, slot, new_pupil(w, high_school=w.host_high_school)).allowed


def test_high_school_taking_part_through_groups_only(in_site):
    w = in_site
    HighSchool.objects.filter(pk=w.high_school.pk).update(accepts_individual_immersions=False)
    slot, pupil = fresh_slot(w), new_pupil(w)
    decision = check(w, slot, pupil)
    assert decision.codes == [Code.HIGH_SCHOOL_GROUPS_ONLY]
    assert not decision.could_force
    # Their referent (and managers) may still register them individually.
    assert check(w, slot, pupil, by=w.high_school_referent).allowed
    assert check(w, slot, pupil, by=w.structure_referent).allowed


# --- The slot ---------------------------------------------------------------------------------------------


def test_cancelled_unpublished_and_individual_registrations(in_site):
    w = in_site
    pupil = new_pupil(w)
    cancelled = fresh_slot(w, cancelled_at=timezone.now())
    assert Code.SLOT_CANCELLED in check(w, cancelled, pupil).codes
    assert check(w, w.draft_slot, pupil).codes == [Code.NOT_PUBLISHED]
    assert check(w, w.draft_slot, pupil, by=w.master_referent, force=[Code.NOT_PUBLISHED]).codes == [Code.NOT_PUBLISHED]
    no_individuals = fresh_slot(w, allows_individual_registrations=False, allows_group_registrations=True)
    assert check(w, no_individuals, pupil).codes == [Code.NO_INDIVIDUAL_REGISTRATION]
    site = site_with(w, individual_registrations_enabled=False)
    assert check(w, fresh_slot(w), pupil, site=site).codes == [Code.NO_INDIVIDUAL_REGISTRATION]


@pytest.mark.parametrize("parent", ["course", "event"])
def test_publication_window_of_the_course_or_event(in_site, parent):
    w = in_site
    pupil = new_pupil(w)
    slot = w.event_slot if parent == "event" else fresh_slot(w)
    obj = getattr(w, parent)
    today = timezone.localdate()
    assert check(w, slot, pupil).allowed
    type(obj).objects.filter(pk=obj.pk).update(publication_end=today - dt.timedelta(days=1), publication_start=None)
    assert check(w, slot, pupil).codes == [Code.NOT_PUBLISHED]
    type(obj).objects.filter(pk=obj.pk).update(publication_start=today + dt.timedelta(days=1), publication_end=None)
    assert check(w, slot, pupil).codes == [Code.NOT_PUBLISHED]
    type(obj).objects.filter(pk=obj.pk).update(publication_start=today, publication_end=today)
    assert check(w, slot, pupil).allowed


def test_inactive_training(in_site):
    w = in_site
    type(w.training).objects.filter(pk=w.training.pk).update(is_active=False)
    assert check(w, fresh_slot(w), new_pupil(w)).codes == [Code.NOT_PUBLISHED]


def test_slot_started_is_never_forcible(in_site):
    w = in_site
    now = timezone.localtime()
    started = fresh_slot(w, days=0, start_time=(now - dt.timedelta(minutes=5)).time(), end_time=dt.time(23, 59, 59))
    if started.start_time > started.end_time:  # just after midnight: use yesterday
        Slot.objects.filter(pk=started.pk).update(date=now.date() - dt.timedelta(days=1))
    decision = check(w, started, new_pupil(w), by=w.master_referent, force=[Code.SLOT_STARTED])
    assert Code.SLOT_STARTED in decision.codes
    assert not decision.could_force


def test_registration_window_not_open_and_closed(in_site):
    w = in_site
    pupil, slot = new_pupil(w), fresh_slot(w)
    now = timezone.now()
    w.period.registration_start, w.period.registration_end = now + dt.timedelta(days=1), now + dt.timedelta(days=5)
    w.period.save()
    decision = check(w, slot, pupil)
    assert decision.codes == [Code.WINDOW_NOT_OPEN]
    assert w.period.label in decision.message
    w.period.registration_start, w.period.registration_end = now - dt.timedelta(days=5), now - dt.timedelta(days=1)
    w.period.save()
    assert check(w, slot, pupil).codes == [Code.WINDOW_CLOSED]
    # A high-school referent may not force it; a manager may.
    referent = check(w, slot, pupil, by=w.high_school_referent, force=[Code.WINDOW_CLOSED])
    assert referent.codes == [Code.WINDOW_CLOSED] and not referent.could_force
    manager = check(w, slot, pupil, by=w.structure_referent)
    assert manager.could_force and manager.forcible_codes == (Code.WINDOW_CLOSED,)
    forced = check(w, slot, pupil, by=w.structure_referent, force=[Code.WINDOW_CLOSED])
    assert forced.allowed and forced.forced == (Code.WINDOW_CLOSED,)


def test_slot_deadline(in_site):
    w = in_site
    pupil = new_pupil(w)
    slot = fresh_slot(w, registration_deadline=timezone.now() - dt.timedelta(hours=1))
    decision = check(w, slot, pupil)
    assert decision.codes == [Code.DEADLINE_PASSED]
    assert check(w, slot, pupil, by=w.structure_referent, force=[Code.DEADLINE_PASSED]).allowed
    # Period policy "slot": N hours before the start.
    w.period.registration_hours_before = 24 * 30
    w.period.save()
    assert check(w, fresh_slot(w), pupil).codes == [Code.DEADLINE_PASSED]


# --- Restrictions -------------------------------------------------------------------------------------------


def test_restricted_to_establishments_or_high_schools(in_site):
    w = in_site
    pupil, slot = new_pupil(w), fresh_slot(w)
    slot.allowed_high_schools.set([w.host_high_school])
    decision = check(w, slot, pupil)
    assert decision.codes == [Code.RESTRICTED]
    assert check(w, slot, pupil, by=w.high_school_referent, force=[Code.RESTRICTED]).codes == [Code.RESTRICTED]
    forced = check(w, slot, pupil, by=w.structure_referent, force=[Code.RESTRICTED])
    assert forced.allowed and forced.forced == (Code.RESTRICTED,)
    slot.allowed_high_schools.add(w.high_school)
    assert check(w, slot, pupil).allowed


def test_restricted_to_levels(in_site):
    w = in_site
    seconde = HighSchoolLevel.objects.create(site=w.site, label="Seconde")
    terminale = HighSchoolLevel.objects.create(site=w.site, label="Terminale")
    slot = fresh_slot(w)
    slot.allowed_high_school_levels.set([terminale])
    assert check(w, slot, new_pupil(w, level=seconde)).codes == [Code.RESTRICTED]
    assert check(w, slot, new_pupil(w, level=terminale)).allowed
    assert check(w, slot, new_pupil(w)).codes == [Code.RESTRICTED]  # level unknown


def test_restricted_to_baccalaureates_series_and_specialities(in_site):
    w = in_site
    general = BachelorType.objects.create(site=w.site, label="Général", kind=BachelorType.Kind.GENERAL)
    techno = BachelorType.objects.create(site=w.site, label="Technologique", kind=BachelorType.Kind.TECHNOLOGICAL)
    sti2d = TechnologicalSeries.objects.create(site=w.site, label="STI2D", code="STI2D")
    stmg = TechnologicalSeries.objects.create(site=w.site, label="STMG", code="STMG")
    maths = GeneralSpeciality.objects.create(site=w.site, label="Mathématiques")
    svt = GeneralSpeciality.objects.create(site=w.site, label="SVT")

    slot = fresh_slot(w)
    slot.allowed_bachelor_types.set([techno])
    slot.allowed_series.set([sti2d])
    assert check(w, slot, new_pupil(w, bachelor_type=techno, series=sti2d)).allowed
    assert check(w, slot, new_pupil(w, bachelor_type=techno, series=stmg)).codes == [Code.RESTRICTED]
    assert check(w, slot, new_pupil(w, bachelor_type=general)).codes == [Code.RESTRICTED]

    slot = fresh_slot(w, days=11)
    slot.allowed_specialities.set([maths])
    with_maths, with_svt = new_pupil(w, bachelor_type=general), new_pupil(w, bachelor_type=general)
    PupilRecord.objects.get(user=with_maths).specialities.set([maths, svt])
    PupilRecord.objects.get(user=with_svt).specialities.set([svt])
    assert check(w, slot, with_maths).allowed
    decision = check(w, slot, with_svt)
    assert decision.codes == [Code.RESTRICTED]
    assert restriction_problems(slot, PupilRecord.objects.get(user=with_svt)) == [decision.message]


def test_every_family_set_must_match(in_site):
    w = in_site
    terminale = HighSchoolLevel.objects.create(site=w.site, label="Terminale")
    slot = fresh_slot(w)
    slot.allowed_high_schools.set([w.host_high_school])
    slot.allowed_high_school_levels.set([terminale])
    assert check(w, slot, new_pupil(w)).codes == [Code.RESTRICTED, Code.RESTRICTED]


# --- Quotas, overlap, already registered, full -------------------------------------------------------------


def test_period_quota_forcible_by_establishment_managers_only(in_site):
    w = in_site
    w.period.quota_per_person = 1
    w.period.save()
    pupil = new_pupil(w)
    Registration.objects.create(site=w.site, slot=w.host_slot, person=pupil)
    slot = fresh_slot(w)
    decision = check(w, slot, pupil)
    assert decision.codes == [Code.PERIOD_QUOTA]
    assert "1" in decision.message
    assert not check(w, slot, pupil, by=w.structure_referent).could_force
    assert check(w, slot, pupil, by=w.structure_referent, force=[Code.PERIOD_QUOTA]).codes == [Code.PERIOD_QUOTA]
    forced = check(w, slot, pupil, by=w.establishment_referent, force=[Code.PERIOD_QUOTA])
    assert forced.allowed and forced.forced == (Code.PERIOD_QUOTA,)
    # A cancelled registration does not count.
    Registration.objects.filter(person=pupil).update(status="cancelled", cancelled_at=timezone.now())
    assert check(w, slot, pupil).allowed


def test_training_quota_only_when_enabled(in_site):
    w = in_site
    pupil = new_pupil(w)
    Registration.objects.create(site=w.site, slot=fresh_slot(w, days=20), person=pupil)
    slot = fresh_slot(w, days=21)
    assert check(w, slot, pupil).allowed
    site = site_with(w, training_quota_enabled=True, training_quota=1)
    assert check(w, slot, pupil, site=site).codes == [Code.TRAINING_QUOTA]
    assert check(w, fresh_slot(w, w.other_course, days=22), pupil, site=site).allowed
    assert check(w, slot, pupil, by=w.master_referent, force=[Code.TRAINING_QUOTA], site=site).allowed


def test_overlap_already_registered_and_full_are_never_forcible(in_site):
    w = in_site
    everything = [Code.OVERLAP, Code.ALREADY_REGISTERED, Code.FULL]
    overlap = check(w, w.other_slot, w.pupil, by=w.master_referent, force=everything)
    assert overlap.codes == [Code.OVERLAP]
    assert str(w.slot.course) in overlap.message or overlap.message
    again = check(w, w.slot, w.pupil)
    assert again.codes == [Code.ALREADY_REGISTERED]
    full = fresh_slot(w, individual_places=1)
    Slot.objects.filter(pk=full.pk).update(individual_places_taken=1)
    decision = check(w, full, new_pupil(w), by=w.master_referent, force=everything)
    assert decision.codes == [Code.FULL] and not decision.could_force


def test_a_full_slot_offers_the_waiting_list_to_the_person_only(in_site):
    w = in_site
    full = fresh_slot(w, individual_places=1)
    Slot.objects.filter(pk=full.pk).update(individual_places_taken=1)
    pupil = new_pupil(w)
    decision = check(w, full, pupil)
    assert decision.is_full_only and decision.may_join_waiting_list
    assert not check(w, full, pupil, by=w.high_school_referent).may_join_waiting_list
    site = site_with(w, waiting_list_enabled=False)
    assert not check(w, full, pupil, site=site).may_join_waiting_list
    # Full and something else: the waiting list would not help.
    assert not check(w, full, w.other_pupil).may_join_waiting_list


def test_forced_rules_are_recorded_on_the_registration(in_site):
    w = in_site
    pupil = new_pupil(w)
    slot = fresh_slot(w, registration_deadline=timezone.now() - dt.timedelta(hours=1))
    slot.allowed_high_schools.set([w.host_high_school])
    registration = register(slot, pupil, by=w.structure_referent, force=[Code.RESTRICTED, Code.DEADLINE_PASSED])
    assert sorted(registration.overrides) == sorted([Code.RESTRICTED, Code.DEADLINE_PASSED])
    assert registration.registered_by == w.structure_referent
    assert register(fresh_slot(w, days=12), new_pupil(w), by=w.structure_referent).overrides == []


# --- Cancellation rules --------------------------------------------------------------------------------------


def test_cancellation_rules(in_site):
    w = in_site
    registration = w.registration
    assert cancellation_problem(registration, by=w.pupil, site=w.site) is None
    # The high-school referent: once the pupil shares their immersions (the consent policy)
    assert cancellation_problem(registration, by=w.high_school_referent, site=w.site)
    PupilRecord.objects.filter(pk=w.pupil_record.pk).update(consent_high_school_sees_immersions=True)
    assert cancellation_problem(registration, by=w.high_school_referent, site=w.site) is None
    assert cancellation_problem(registration, by=w.structure_referent, site=w.site) is None
    for stranger in (w.other_pupil, w.host_high_school_referent, w.speaker, w.host_referent):
        assert cancellation_problem(registration, by=stranger, site=w.site)
    Slot.objects.filter(pk=w.slot.pk).update(cancellation_deadline=timezone.now() - dt.timedelta(minutes=1))
    registration.refresh_from_db()
    with override("en"):
        assert "closed" in cancellation_problem(registration, by=w.pupil, site=w.site)
    assert cancellation_problem(registration, by=w.high_school_referent, site=w.site)
    assert cancellation_problem(registration, by=w.structure_referent, site=w.site) is None


def test_reasons_are_translated(in_site):
    w = in_site
    full, pupil = fresh_slot(w, individual_places=0), new_pupil(w)
    with override("en"):
        english = check(w, full, pupil).message
    assert english == "This slot is full."
    with override("fr"):
        french = check(w, full, pupil).message
        assert french == gettext("This slot is full.")
    assert french and french != english
    # With a value inside.
    w.period.quota_per_person = 1
    w.period.save()
    Registration.objects.create(site=w.site, slot=w.host_slot, person=pupil)
    with override("fr"):
        quota = check(w, fresh_slot(w), pupil).message
        expected = gettext("You have used your %(quota)d registrations for %(period)s.") % {
            "quota": 1,
            "period": w.period.label,
        }
    assert quota == expected and not quota.startswith("You have")
