from apps.accounts.models import Role, RoleAssignment
from apps.records.models import PupilRecord, RecordStatus
from apps.records.services import ensure_record
from tests.factories import make_user


def test_ensure_record_creates_role_and_record_once(in_site):
    w = in_site
    person = make_user()
    first = ensure_record(w.site, person, Role.PUPIL)
    again = ensure_record(w.site, person, Role.PUPIL)
    assert first == again
    assert first.status == RecordStatus.TO_COMPLETE
    assert PupilRecord.objects.filter(user=person).count() == 1
    assert RoleAssignment.objects.filter(user=person, role=Role.PUPIL).count() == 1
