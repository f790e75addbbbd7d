"""Possible duplicates are flagged on save: same names (accents, case, punctuation aside) and
birth date, on the same site only; a pair reviewed is never flagged again."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Role
from apps.duplicates.detection import identity_key, normalise
from apps.duplicates.models import DuplicateCandidate
from apps.duplicates.services import mark_not_duplicate
from apps.records.models import PupilRecord, VisitorRecord
from apps.tenancy.scoping import for_site

from .helpers import BIRTH, candidates, pair, person


def test_names_are_compared_without_accents_case_or_punctuation():
    assert normalise("Élodie") == normalise("ELODIE") == "elodie"
    assert normalise(" Jean-Marc ") == normalise("jean  marc") == normalise("Jean–Marc")
    assert normalise("O'Neil") == normalise("O’Neil") == normalise("o neil")
    assert normalise("Lætitia Cœur") == "laetitia coeur"
    assert normalise("Straße") == "strasse"
    assert identity_key("Éloïse", "Müller", dt.date(2008, 1, 2)) == "eloise|muller|2008-01-02"


def test_same_person_with_accents_and_case_is_flagged(world):
    first = person(world.site, "Élodie", "DUPONT")
    second = person(world.site, "elodie", "dupont", role=Role.VISITOR)

    candidate = pair(world.site, first, second)
    assert candidate is not None
    assert candidate.status == DuplicateCandidate.Status.OPEN
    assert (candidate.user_a_id, candidate.user_b_id) == tuple(sorted((first.pk, second.pk)))
    assert candidate.identity_key == f"elodie|dupont|{BIRTH.isoformat()}"


def test_compound_names_match_whatever_their_separators(world):
    first = person(world.site, "Jean-Marc", "O'Neil")
    second = person(world.site, "JEAN MARC", "o’neil", role=Role.STUDENT)
    assert pair(world.site, first, second) is not None


def test_a_different_birth_date_is_not_a_duplicate(world):
    person(world.site, "Élodie", "Dupont")
    person(world.site, "Elodie", "Dupont", birth_date=BIRTH + dt.timedelta(days=1))
    person(world.site, "Elodie", "Dupond")  # another name, same day
    assert candidates(world.site) == []


def test_a_record_without_birth_date_is_not_compared(world):
    person(world.site, "Élodie", "Dupont")
    person(world.site, "Elodie", "Dupont", birth_date=None)
    assert candidates(world.site) == []


def test_the_same_person_on_another_site_is_not_flagged(world, other_world):
    person(world.site, "Élodie", "Dupont")
    person(other_world.site, "Elodie", "Dupont")
    assert candidates(world.site) == [] and candidates(other_world.site) == []


def test_two_records_of_one_person_are_not_a_duplicate(world):
    user = person(world.site, "Élodie", "Dupont")
    with for_site(world.site):
        VisitorRecord.objects.create(site=world.site, user=user, birth_date=BIRTH)
    assert candidates(world.site) == []


def test_a_pair_is_stored_once_however_often_it_is_saved(world):
    first = person(world.site, "Élodie", "Dupont")
    second = person(world.site, "Elodie", "Dupont")
    with for_site(world.site):
        for record in PupilRecord.objects.filter(user__in=[first, second]):
            record.phone = "0600000000"
            record.save()
    assert len(candidates(world.site)) == 1


def test_a_name_change_is_checked(world):
    first = person(world.site, "Élodie", "Dupont")
    second = person(world.site, "Élodie", "Martin")
    assert candidates(world.site) == []

    second.last_name = "DUPONT"
    second.save()

    assert pair(world.site, first, second) is not None


def test_a_save_that_does_not_touch_names_runs_no_check(world):
    user = person(world.site, "Élodie", "Dupont")
    user.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        user.save(update_fields=["last_login"])
        user.is_active = True
        user.save()
    assert len(queries) == 2  # the two updates, nothing else


def test_a_pair_marked_not_a_duplicate_is_never_flagged_again(world):
    first = person(world.site, "Élodie", "Dupont")
    second = person(world.site, "Elodie", "Dupont")
    with for_site(world.site):
        mark_not_duplicate(pair(world.site, first, second), by=world.master_referent)
        record = PupilRecord.objects.get(user=second)
        record.birth_date = BIRTH
        record.save()
    second.first_name = "ÉLODIE"
    second.save()

    rows = candidates(world.site)
    assert len(rows) == 1
    assert rows[0].status == DuplicateCandidate.Status.NOT_DUPLICATE


def test_a_third_account_is_paired_with_both_others(world):
    first = person(world.site, "Élodie", "Dupont")
    second = person(world.site, "Elodie", "Dupont")
    third = person(world.site, "ELODIE", "DUPONT", role=Role.VISITOR)
    assert pair(world.site, first, second) and pair(world.site, first, third) and pair(world.site, second, third)


def test_the_check_runs_a_fixed_number_of_queries(world):
    def save_cost():
        with for_site(world.site):
            record = PupilRecord.objects.select_related("user").get(user=target)
            with CaptureQueriesContext(connection) as queries:
                record.save()
        return len(queries)

    target = person(world.site, "Élodie", "Dupont")
    person(world.site, "Elodie", "Dupont")
    few = save_cost()
    for index in range(6):
        person(world.site, "Élodie", "Dupont", role=Role.VISITOR if index % 2 else Role.STUDENT)
        person(world.site, f"Other{index}", "Name")
    many = save_cost()
    assert many == few
