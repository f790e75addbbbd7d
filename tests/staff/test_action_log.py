"""Every write of apps.staff.services leaves its action-log rows, written by the service: a role
granted (and the invitation sent) or withdrawn, an invitation renewed or accepted, the charter
signed, a version of it created, changed, published; a refused write leaves none."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.models import AccountToken, Role, RoleAssignment, User
from apps.accounts.policy import actor_for
from apps.accounts.tokens import issue_token
from apps.audit import context
from apps.audit.models import ActionLog
from apps.staff import services
from apps.staff.models import Charter

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-Battery-42"


def _rows_of(write):
    last = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with context.origin(ip="192.0.2.30"):
        write()
    return list(ActionLog.objects.filter(pk__gt=last, action__startswith="staff.").order_by("pk"))


def test_each_staff_service_leaves_its_rows(in_site):
    w = in_site
    site = w.site
    referent = actor_for(w.establishment_referent, site)
    master = actor_for(w.master_referent, site)
    host_referent = actor_for(w.host_referent, site)
    made = {}

    def invite(email, method=services.InvitationMethod.LOCAL, by=referent, role=Role.STRUCTURE_REFERENT):
        def run():
            made[email] = services.invite(
                by, site, email=email, first_name="Grace", last_name="Hopper", role=role, method=method,
                structure=w.structure,
            )  # fmt: skip

        return run

    def person(email):
        return User.objects.get(email=email)

    def accept():
        raw = issue_token(person("grace@example.org"), AccountToken.Purpose.INVITATION, site=site)
        assert services.accept_invitation(raw, site, PASSWORD) is not None

    def charter_version(**fields):
        def run():
            charter = made.get("charter") or Charter(version="2", text="Charte, version 2")
            for name, value in fields.items():
                setattr(charter, name, value)
            made["charter"] = services.save_charter(w.master_referent, site, charter)

        return run

    def assignment(email):
        return made[email].assignment

    cases = [
        # (name, write, [(action, actor, object type, object id, subject)], facts of the first row)
        (
            "invite a new person (local account)",
            invite("grace@example.org"),
            lambda: [
                (
                    "staff.role.granted",
                    w.establishment_referent,
                    "accounts.roleassignment",
                    assignment("grace@example.org").pk,
                    person("grace@example.org"),
                ),
                (
                    "staff.invitation.sent",
                    w.establishment_referent,
                    "accounts.user",
                    person("grace@example.org").pk,
                    person("grace@example.org"),
                ),
            ],
            {"role": Role.STRUCTURE_REFERENT, "new_account": True, "message": "staff_invitation"},
        ),
        (
            "invite a new person (institution account)",
            invite("ada@example.org", services.InvitationMethod.FEDERATED),
            lambda: [
                (
                    "staff.role.granted",
                    w.establishment_referent,
                    "accounts.roleassignment",
                    assignment("ada@example.org").pk,
                    person("ada@example.org"),
                ),
                (
                    "staff.invitation.sent",
                    w.establishment_referent,
                    "accounts.user",
                    person("ada@example.org").pk,
                    person("ada@example.org"),
                ),
            ],
            {"new_account": True, "message": "staff_invitation_federated"},
        ),
        (
            "grant a role to someone who has an account",
            invite(w.speaker.email, role=Role.STRUCTURE_CONSULTANT),
            lambda: [
                (
                    "staff.role.granted",
                    w.establishment_referent,
                    "accounts.roleassignment",
                    assignment(w.speaker.email).pk,
                    w.speaker,
                ),
            ],
            {"role": Role.STRUCTURE_CONSULTANT, "new_account": False, "message": "staff_role_granted"},
        ),
        (
            "renew an invitation (asked for by the person: no staff actor)",
            lambda: services.renew_invitation(person("grace@example.org"), site),
            lambda: [
                (
                    "staff.invitation.renewed",
                    None,
                    "accounts.user",
                    person("grace@example.org").pk,
                    person("grace@example.org"),
                )
            ],
            {"role": Role.STRUCTURE_REFERENT},
        ),
        (
            "accept an invitation",
            accept,
            lambda: [
                (
                    "staff.invitation.accepted",
                    person("grace@example.org"),
                    "accounts.user",
                    person("grace@example.org").pk,
                    None,
                )
            ],
            {},
        ),
        (
            "withdraw a role",
            lambda: services.revoke(referent, site, assignment(w.speaker.email)),
            lambda: [
                (
                    "staff.role.revoked",
                    w.establishment_referent,
                    "accounts.roleassignment",
                    made["revoked_pk"],
                    w.speaker,
                )
            ],
            {"role": Role.STRUCTURE_CONSULTANT},
        ),
        (
            "create a charter version",
            charter_version(),
            lambda: [("staff.charter.created", w.master_referent, "staff.charter", made["charter"].pk, None)],
            {"version": "2"},
        ),
        (
            "correct it",
            charter_version(text="Charte, version 2 corrigée"),
            lambda: [("staff.charter.changed", w.master_referent, "staff.charter", made["charter"].pk, None)],
            {"changed": {"text": ["…", "…"]}},
        ),
        (
            "publish it",
            charter_version(published_at=timezone.now()),
            lambda: [
                ("staff.charter.changed", w.master_referent, "staff.charter", made["charter"].pk, None),
                ("staff.charter.published", w.master_referent, "staff.charter", made["charter"].pk, None),
            ],
            {},
        ),
        (
            "sign it for a host establishment",
            lambda: made.setdefault("signature", services.sign_charter(host_referent, site, establishment=w.host)),
            lambda: [("staff.charter.signed", w.host_referent, "staff.chartersignature", made["signature"].pk, None)],
            {"charter": "2", "party": {"id": w.host.pk, "label": str(w.host)}},
        ),
        (
            "sign it again: nothing changes",
            lambda: services.sign_charter(host_referent, site, establishment=w.host),
            list,
            None,
        ),
    ]
    for name, write, expected, facts in cases:
        if name == "withdraw a role":
            made["revoked_pk"] = assignment(w.speaker.email).pk
        rows = _rows_of(write)
        assert [(r.action, r.actor_id, r.object_type, r.object_id, r.subject_id) for r in rows] == [
            (action, getattr(actor, "pk", None), object_type, str(pk), getattr(subject, "pk", None))
            for action, actor, object_type, pk, subject in expected()
        ], name
        assert facts is None or facts.items() <= rows[0].data.items(), (name, rows[0].data)
    assert ActionLog.objects.get(action="staff.charter.signed").establishment_id == w.host.pk

    refused = [
        (ValidationError, invite("grace@example.org")),  # holds it already
        (
            PermissionDenied,
            invite("eve@example.org", by=actor_for(w.consultant, site)),
        ),
        (ValidationError, lambda: services.revoke(master, site, RoleAssignment.objects.get(role=Role.MASTER_REFERENT))),
        (PermissionDenied, lambda: services.sign_charter(referent, site, establishment=w.host)),
    ]
    for error, write in refused:
        with pytest.raises(error):
            _rows_of(write)
    assert not ActionLog.objects.filter(action="staff.role.revoked", subject=w.master_referent).exists()
    assert ActionLog.objects.filter(action="staff.role.granted").count() == 3
    assert not User.objects.filter(email="eve@example.org").exists()
