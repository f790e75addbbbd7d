"""The registrant's pages: choosing a profile, filling the record, the status it gets."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment
from apps.records.models import PupilRecord, RecordStatus, StudentRecord, VisitorRecord
from apps.tenancy.scoping import for_site
from tests.factories import make_user

from .conftest import complete_pupil_record, pupil_post, years_ago

HOME = reverse("records:home")
EDIT = reverse("records:edit")


def fresh(record):
    with for_site(record.site):
        return type(record).objects.get(pk=record.pk)


def test_anonymous_is_sent_to_sign_in(client, world, settings):
    settings.LOGIN_URL = "/sign-in/"
    for url in (HOME, EDIT, reverse("records:school_search")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/sign-in/?next=")


def test_person_from_another_site_chooses_a_profile_then_fills_the_record(en, world, refs):
    person = make_user()  # an account with no role here
    en.force_login(person)
    page = en.get(HOME)
    assert page.status_code == 200
    assert 'name="profile" value="pupil"' in page.content.decode()

    response = en.post(HOME, {"profile": "pupil"})
    assert response.status_code == 302 and response.url == f"{EDIT}?kind=pupil"
    with for_site(world.site):
        assert RoleAssignment.objects.filter(user=person, role=Role.PUPIL).exists()
        record = PupilRecord.objects.get(user=person)
    assert record.status == RecordStatus.TO_COMPLETE

    assert en.get(response.url).status_code == 200
    response = en.post(EDIT, pupil_post(refs, world.high_school))
    assert response.status_code == 302, response.content.decode()
    record = fresh(record)
    assert record.status == RecordStatus.TO_VALIDATE
    assert record.submitted_at is not None
    assert record.high_school == world.high_school and record.level == refs.seconde
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Léa", "Müller")
    page = en.get(HOME).content.decode()
    assert 'data-status="to_validate"' in page
    assert "The referent of your high school will check your record." in page


def test_choosing_a_profile_twice_or_a_forbidden_one_changes_nothing(en, world):
    person = make_user()
    en.force_login(person)
    en.post(HOME, {"profile": "student"})
    en.post(HOME, {"profile": "nonsense"})
    with for_site(world.site):
        assert not RoleAssignment.objects.filter(user=person).exists()
    en.post(HOME, {"profile": "visitor"})
    en.post(HOME, {"profile": "pupil"})
    with for_site(world.site):
        assert list(RoleAssignment.objects.filter(user=person).values_list("role", flat=True)) == [Role.VISITOR]
        assert not PupilRecord.objects.filter(user=person).exists()


def test_staff_cannot_open_a_record(en, world):
    en.force_login(world.speaker)
    page = en.get(HOME).content.decode()
    assert 'name="profile"' not in page
    en.post(HOME, {"profile": "pupil"})
    with for_site(world.site):
        assert not PupilRecord.objects.filter(user=world.speaker).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bachelor_type": "techno"}, "series"),
        ({"level": "premiere", "bachelor_type": "general"}, "specialities"),
        ({"level": "post_bac"}, "post_bachelor_level"),
    ],
)
def test_conditional_fields_are_required_server_side(en, world, refs, overrides, field):
    en.force_login(world.other_pupil)
    data = pupil_post(refs, world.high_school, **{k: str(getattr(refs, v).pk) for k, v in overrides.items()})
    response = en.post(EDIT, data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert fresh(world.other_pupil_record).level is None


def test_conditional_fields_accepted_and_irrelevant_answers_dropped(en, world, refs):
    en.force_login(world.other_pupil)
    data = pupil_post(
        refs,
        world.high_school,
        level=str(refs.premiere.pk),
        bachelor_type=str(refs.general.pk),
        series=str(refs.stmg.pk),  # does not apply to a general bac: dropped
        post_bachelor_level=str(refs.bts1.pk),  # not post-bac: dropped
    )
    data["specialities"] = [str(refs.maths.pk), str(refs.physics.pk)]
    assert en.post(EDIT, data).status_code == 302
    record = fresh(world.other_pupil_record)
    with for_site(world.site):
        assert set(record.specialities.all()) == {refs.maths, refs.physics}
    assert record.series is None and record.post_bachelor_level is None

    data = pupil_post(refs, world.high_school, bachelor_type=str(refs.techno.pk), series=str(refs.stmg.pk))
    assert en.post(EDIT, data).status_code == 302
    record = fresh(world.other_pupil_record)
    assert record.series == refs.stmg
    with for_site(world.site):
        assert not record.specialities.exists()
    data = pupil_post(refs, world.high_school, level=str(refs.post_bac.pk), post_bachelor_level=str(refs.bts1.pk))
    assert en.post(EDIT, data).status_code == 302
    assert fresh(world.other_pupil_record).post_bachelor_level == refs.bts1


@pytest.mark.parametrize(
    "overrides",
    [
        {"level": "999999"},
        {"level": "abc"},
        {"birth_date": "2010-02-31"},
        {"birth_date": "garbage"},
        {"birth_date": years_ago(5).isoformat()},  # five years old: not plausible
        {"birth_date": years_ago(45).isoformat()},
        {"phone": "call me maybe"},
        {"high_school": "", "school_uai": "0000000X"},  # unknown UAI
        {"high_school": "", "school_uai": ""},
        {"high_school": "", "school_choice": "hs:999999"},
        {"high_school": "", "school_choice": "junk"},
        {"first_name": "  "},
    ],
)
def test_bad_input_gives_form_errors_and_saves_nothing(en, world, refs, directory, overrides):
    en.force_login(world.other_pupil)
    before = fresh(world.other_pupil_record)
    response = en.post(EDIT, pupil_post(refs, world.high_school, **overrides))
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    after = fresh(world.other_pupil_record)
    assert (after.level_id, after.birth_date, after.phone, after.updated_at) == (
        before.level_id,
        before.birth_date,
        before.phone,
        before.updated_at,
    )


def test_ids_of_another_site_are_invalid_choices(en, world, refs, other_world, other_refs):
    en.force_login(world.other_pupil)
    for data in (
        pupil_post(refs, other_world.high_school),
        pupil_post(refs, world.high_school, level=str(other_refs.seconde.pk)),
        pupil_post(refs, world.high_school, high_school="", school_choice=f"hs:{other_world.high_school.pk}"),
    ):
        assert en.post(EDIT, data).status_code == 400
    assert fresh(world.other_pupil_record).level is None


def test_a_school_from_the_directory_or_by_uai(en, world, refs, directory):
    en.force_login(world.other_pupil)
    data = pupil_post(refs, world.high_school, high_school="", school_choice=f"uai:{directory.monnet.uai}")
    assert en.post(EDIT, data).status_code == 302
    record = fresh(world.other_pupil_record)
    assert (record.high_school, record.school_entry) == (None, directory.monnet)
    # A UAI typed by hand that belongs to a partner high school picks the partner.
    data = pupil_post(refs, world.high_school, high_school="", school_uai="0670001a")
    assert en.post(EDIT, data).status_code == 302
    record = fresh(world.other_pupil_record)
    assert (record.high_school, record.school_entry) == (world.high_school, None)


def test_significant_change_after_validation_needs_a_new_validation(
    en, world, refs, django_capture_on_commit_callbacks
):
    record = complete_pupil_record(world.pupil_record, refs)
    en.force_login(world.pupil)
    base = dict(first_name=world.pupil.first_name, last_name=world.pupil.last_name)
    base["birth_date"] = record.birth_date.isoformat()
    # Phone, class and consents: still validated, no e-mail.
    data = pupil_post(refs, world.high_school, **base, phone="03 88 00 00 00", class_name="2nde 1")
    data["consent_high_school_sees_immersions"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert en.post(EDIT, data).status_code == 302
    record = fresh(record)
    assert record.status == RecordStatus.VALIDATED and record.phone == "03 88 00 00 00"
    assert record.consent_high_school_sees_immersions is True
    assert mail.outbox == []
    # The level changes: to validate again, and the pupil is told.
    data["level"] = str(refs.post_bac.pk)
    data["post_bachelor_level"] = str(refs.bts1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(EDIT, data, follow=True)
    assert fresh(record).status == RecordStatus.TO_REVALIDATE
    assert [m.to for m in mail.outbox] == [[world.pupil.email]]
    assert 'data-status="to_revalidate"' in response.content.decode()


@pytest.mark.parametrize("field", ["last_name", "birth_date"])
def test_identity_change_needs_a_new_validation(en, world, refs, field):
    record = complete_pupil_record(world.pupil_record, refs)
    en.force_login(world.pupil)
    values = {"last_name": "Nouveau", "birth_date": years_ago(17).isoformat()}
    data = pupil_post(refs, world.high_school, first_name=world.pupil.first_name, last_name=world.pupil.last_name)
    data["birth_date"] = record.birth_date.isoformat()
    data[field] = values[field]
    assert en.post(EDIT, data).status_code == 302
    assert fresh(record).status == RecordStatus.TO_REVALIDATE


def test_identity_from_educonnect_cannot_be_changed_even_by_a_forged_post(en, world, refs):
    record = complete_pupil_record(world.pupil_record, refs, identity_locked=True)
    names = (world.pupil.first_name, world.pupil.last_name)
    en.force_login(world.pupil)
    page = en.get(EDIT).content.decode()
    assert 'name="first_name"' in page and "disabled" in page
    data = pupil_post(refs, world.high_school, first_name="Forged", last_name="Name")
    data["birth_date"] = years_ago(20).isoformat()
    assert en.post(EDIT, data).status_code == 302
    world.pupil.refresh_from_db()
    record = fresh(record)
    assert (world.pupil.first_name, world.pupil.last_name) == names
    assert record.birth_date == years_ago(16)
    assert record.status == RecordStatus.VALIDATED


def test_student_is_validated_at_once_when_complete(en, world, refs, directory):
    en.force_login(world.student)
    page = en.get(EDIT).content.decode()
    assert "validated as soon as it is complete" in page
    data = {
        "kind": "student",
        "first_name": "Forged",
        "birth_date": years_ago(20).isoformat(),
        "institution_choice": f"uai:{directory.uha.uai}",
        "level": str(refs.licence1.pk),
        "origin_bachelor_type": str(refs.general.pk),
    }
    assert en.post(EDIT, data).status_code == 302
    with for_site(world.site):
        record = StudentRecord.objects.get(user=world.student)
    assert record.status == RecordStatus.VALIDATED and record.institution == directory.uha
    world.student.refresh_from_db()
    assert world.student.first_name != "Forged"
    assert en.post(EDIT, {**data, "institution_choice": "", "institution_uai": "9999999Z"}).status_code == 400


def test_visitor_record_goes_to_validation(en, world, refs):
    en.force_login(world.visitor)
    data = {
        "kind": "visitor",
        "first_name": "Anne",
        "last_name": "Durand",
        "birth_date": years_ago(40).isoformat(),
        "visitor_type": str(refs.teacher.pk),
        "motivation": "Préparer mes élèves.",
    }
    assert en.post(EDIT, {**data, "motivation": ""}).status_code == 400
    assert en.post(EDIT, data).status_code == 302
    with for_site(world.site):
        record = VisitorRecord.objects.get(user=world.visitor)
    assert record.status == RecordStatus.TO_VALIDATE
    page = en.get(HOME).content.decode()
    assert "The site&#x27;s team will check your record." in page or "The site's team will check" in page


def test_no_new_profile_outside_the_sign_in_window(en, world):
    with for_site(world.site):
        world.year.accounts_open_date = world.year.end_date
        world.year.save()
    person = make_user()
    en.force_login(person)
    response = en.post(HOME, {"profile": "pupil"}, follow=True)
    assert "closed on this site" in response.content.decode()
    with for_site(world.site):
        assert not PupilRecord.objects.filter(user=person).exists()


def test_other_site_pages_show_only_that_site_records(en, world, other_world):
    en.force_login(world.pupil)
    page = en.get(HOME, HTTP_HOST="beta.localhost").content.decode()
    assert 'name="profile" value="pupil"' in page  # no record there: a profile to choose
    assert 'data-status="validated"' not in page
    assert en.get(EDIT, HTTP_HOST="beta.localhost").status_code == 302


def test_the_record_page_summarises_the_record(client, world):
    client.force_login(world.pupil)
    page = client.get(reverse("records:home")).content.decode()
    assert "Lycée Kléber" in page
