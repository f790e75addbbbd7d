"""Write side of records: every change of a record and of its status goes through here."""

from django.db import IntegrityError, transaction

from apps.accounts.models import Role, RoleAssignment

from .models import PupilRecord, StudentRecord, VisitorRecord

RECORD_KINDS = {
    Role.PUPIL: PupilRecord,
    Role.STUDENT: StudentRecord,
    Role.VISITOR: VisitorRecord,
}


def ensure_record(site, user, role):
    """The person's record of this kind on this site, created (with the role) if missing.

    Idempotent and safe against double submits: a concurrent creation is read back.
    """
    model = RECORD_KINDS[role]
    try:
        with transaction.atomic():
            RoleAssignment.objects.get_or_create(site=site, user=user, role=role)
            record, _created = model.objects.get_or_create(site=site, user=user)
    except IntegrityError:
        record = model.objects.get(site=site, user=user)
    return record
