"""Documents in the action log: each upload (new or replacing one) by its owner, each download by
somebody else than the owner; refused uploads and refused or own downloads leave no row."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.attestations.services import upload_attestation
from apps.audit.models import ActionLog
from apps.tenancy.scoping import for_site

from .conftest import EXE, PDF, make_pupil, upload

pytestmark = pytest.mark.django_db


def log():
    return ActionLog.objects.with_scopes_disabled().order_by("pk")


def new_rows(seen):
    return [(r.action, r.actor_id, r.subject_id, r.object_id) for r in log()[seen:]]


def test_uploads_and_downloads_by_others_are_logged(client, world, types):
    w = world
    stranger, _record = make_pupil(w)
    with for_site(w.site):
        first = upload_attestation(w.site, w.pupil, types.parental, upload(PDF))
        second = upload_attestation(w.site, w.pupil, types.parental, upload(PDF, "again.pdf"))
        with pytest.raises(ValidationError):
            upload_attestation(w.site, w.pupil, types.photo, upload(EXE, "x.pdf"))
        rows = list(ActionLog.objects.order_by("pk"))
    pupil = w.pupil.pk
    assert [(r.action, r.actor_id, r.subject_id, r.object_id) for r in rows] == [
        ("attestations.attestation.uploaded", pupil, pupil, str(first.pk)),
        ("attestations.attestation.replaced", pupil, pupil, str(second.pk)),
    ]
    assert rows[1].data["replaced"] == first.pk
    assert rows[1].data["type"] == {"id": types.parental.pk, "label": types.parental.label}
    assert rows[0].object_label == str(first) and "attestation.pdf" not in str(rows[0].data)

    downloads = [
        (w.pupil, first, 200, []),  # the owner: not logged
        (stranger, second, 404, []),  # refused: nothing
        (
            w.high_school_referent,
            second,
            200,
            [("attestations.attestation.downloaded", w.high_school_referent.pk, pupil, str(second.pk))],
        ),
        (
            w.master_referent,
            first,
            200,
            [("attestations.attestation.downloaded", w.master_referent.pk, pupil, str(first.pk))],
        ),
    ]
    for who, document, status, expected in downloads:
        seen = log().count()
        client.force_login(who)
        response = client.get(reverse("attestations:download", args=[document.pk]))
        assert response.status_code == status
        assert new_rows(seen) == expected, who
    last = log().last()
    assert last.data == {"type": {"id": types.parental.pk, "label": types.parental.label}, "current": False}
