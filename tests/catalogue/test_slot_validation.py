import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Role, RoleAssignment
from apps.catalogue.models import Slot
from apps.organisations.models import Building, Campus
from tests.factories import make_slot


def _errors(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_a_slot_takes_place_on_its_establishments_campuses(in_site):
    w = in_site
    other_campus = Campus.objects.create(site=w.site, establishment=w.host, label="Campus de l'école")
    slot = make_slot(w, w.course)
    slot.campus = other_campus
    slot.building = None
    assert "campus" in _errors(slot)
    slot.campus = w.campus
    slot.building = Building.objects.create(site=w.site, campus=other_campus, label="Ailleurs")
    assert "building" in _errors(slot)


def test_a_course_slot_needs_a_course_type(in_site):
    w = in_site
    slot = make_slot(w, w.course)
    slot.course_type = None
    assert "course_type" in _errors(slot)


def test_a_visit_in_a_high_school_names_it(in_site):
    w = in_site
    slot = Slot(
        site=w.site,
        event=w.event,
        period=w.period,
        date=w.slot.date,
        start_time=w.slot.start_time,
        end_time=w.slot.end_time,
        place=Slot.Place.HIGH_SCHOOL,
        place_high_school=w.high_school,
    )
    slot.full_clean()
    slot.save()


def test_a_role_explains_what_it_needs(in_site):
    w = in_site
    errors = _errors(RoleAssignment(site=w.site, user=w.pupil, role=Role.STRUCTURE_REFERENT))
    assert any("structure" in message for message in errors["__all__"])
    errors = _errors(RoleAssignment(site=w.site, user=w.pupil, role=Role.SPEAKER, structure=w.structure))
    assert "__all__" in errors
    RoleAssignment(site=w.site, user=w.pupil, role=Role.SPEAKER, high_school=w.host_high_school).full_clean()
