"""Write side of the staff pages: inviting people, granting and revoking roles, signing the charter.

Every function checks the rules itself (through :mod:`apps.accounts.policy`), whatever the
caller already checked, and runs in one transaction. Messages are sent once the
transaction is committed; a mail server failure does not undo the change, the caller is told.
Each change leaves its row in the action log (``staff.*``), in its transaction: the role
granted or withdrawn (the person concerned as its subject), the invitation sent, renewed or
accepted, the charter signed or a version of it published.
"""

import logging
from dataclasses import dataclass
from smtplib import SMTPException

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts import policy
from apps.accounts.models import AccountToken, Role, RoleAssignment
from apps.accounts.tokens import consume_token, issue_token, peek_token
from apps.audit.services import changes, log_action, snapshot
from apps.notifications.services import send_message
from apps.tenancy.scoping import for_site

from .models import Charter, CharterSignature
from .selectors import GRANTABLE_STAFF_ROLES, current_charter

logger = logging.getLogger(__name__)


class InvitationMethod(models.TextChoices):
    LOCAL = "local", _("Local account: they choose a password through a link sent by e-mail")
    FEDERATED = "federated", _("Institution account (CAS / Shibboleth): they sign in with their institution")


LAST_MASTER_MESSAGE = _(
    "This is the last master-establishment referent of the site: name another one before withdrawing this role."
)


def check_grant(actor, site, assignment):
    """Raise ValidationError if the assignment is malformed, PermissionDenied if not the actor's to grant."""
    if assignment.role not in GRANTABLE_STAFF_ROLES:
        raise ValidationError(_("This role cannot be granted here."), code="role")
    assignment.clean()
    if (
        assignment.role == Role.SPEAKER
        and assignment.high_school_id
        and not assignment.high_school.hosts_post_bac_trainings
    ):
        raise ValidationError(
            _("A speaker of a high school needs a high school that hosts post-bac trainings."), code="scope"
        )
    for target in (assignment.establishment, assignment.structure, assignment.high_school):
        if target is not None and target.site_id != site.pk:
            raise PermissionDenied
    if not policy.can(actor, policy.Action.GRANT, assignment, site):
        raise PermissionDenied


@dataclass(frozen=True)
class Invitation:
    user: object
    assignment: RoleAssignment
    created_user: bool
    message_key: str
    sent: bool


def _scope_kwargs(assignment):
    return {
        "establishment": assignment.establishment,
        "structure": assignment.structure,
        "high_school": assignment.high_school,
    }


def _role_facts(assignment):
    """What the log says of a role: the role and what it is attached to."""
    return {
        "role": assignment.role,
        "scope": assignment.establishment or assignment.structure or assignment.high_school,
    }


def _send(key, user, site, context):
    try:
        send_message(key, to=user, site=site, context=context)
    except (SMTPException, OSError):
        logger.exception("message %s to user %s could not be sent", key, user.pk)
        return False
    return True


def invite(actor, site, *, email, first_name, last_name, role, method, **scope):
    """Grant ``role`` (with its ``establishment`` / ``structure`` / ``high_school``) to the person
    with this e-mail, creating their account when there is none, and tell them by e-mail.

    A new local account gets an unusable password and a set-password link (an invitation
    token); a new federated account is created active, to be matched at its first CAS or
    Shibboleth sign-in. Raises ValidationError (nothing changed) or PermissionDenied.
    """
    User = get_user_model()
    assignment = RoleAssignment(site=site, role=role, granted_by=actor.user, **scope)
    check_grant(actor, site, assignment)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email.strip()).first()
        created = user is None
        if created:
            user = User(
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                is_active=method == InvitationMethod.FEDERATED,
            )
            user.set_unusable_password()
            user.save()
        elif RoleAssignment.objects.filter(site=site, user=user, role=role, **_scope_kwargs(assignment)).exists():
            raise ValidationError(_("This person already holds this role."), code="duplicate")
        assignment.user = user
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as error:  # granted in the meantime by someone else
            raise ValidationError(_("This person already holds this role."), code="duplicate") from error
        context = {
            "person": user,
            "inviter": actor.user,
            "role": assignment.get_role_display(),
            "scope": assignment.establishment or assignment.structure or assignment.high_school,
        }
        if method == InvitationMethod.LOCAL and (not user.has_usable_password() or not user.is_active):
            raw = issue_token(user, AccountToken.Purpose.INVITATION, site=site, payload={"role": role})
            context["accept_path"] = reverse("staff:accept_invitation", args=[raw])
            key = "staff_invitation"
        elif created:
            key = "staff_invitation_federated"
        else:
            key = "staff_role_granted"
        facts = {**_role_facts(assignment), "new_account": created, "message": key}
        log_action("staff.role.granted", site=site, actor=actor.user, obj=assignment, subject=user, data=facts)
        if key != "staff_role_granted":
            facts = {"role": role, "method": method}
            log_action("staff.invitation.sent", site=site, actor=actor.user, obj=user, subject=user, data=facts)
    sent = _send(key, user, site, context)
    logger.info("user %s granted %s on site %s by user %s", user.pk, role, site.pk, actor.user_id)
    return Invitation(user, assignment, created, key, sent)


def renew_invitation(user, site):
    """Send a new invitation link to a person invited with a local account who has not chosen a
    password yet — they asked for a new password or activation link, their invitation got lost
    or expired. A new token: the earlier links no longer work. Only on a site where they hold a
    staff role (the invitation of the latest one is sent again). Returns True if sent.
    """
    if user.is_active or user.last_login is not None or user.has_usable_password():
        return False
    with for_site(site):
        assignment = (
            RoleAssignment.objects.filter(site=site, user=user, role__in=GRANTABLE_STAFF_ROLES)
            .select_related("granted_by", "establishment", "structure", "high_school")
            .order_by("-granted_at", "-pk")
            .first()
        )
    if assignment is None:
        return False
    with transaction.atomic():
        raw = issue_token(user, AccountToken.Purpose.INVITATION, site=site, payload={"role": assignment.role})
        # Asked for by the person (a new link) or a job: nobody of the staff acted.
        log_action("staff.invitation.renewed", site=site, obj=user, subject=user, data={"role": assignment.role})
    context = {
        "person": user,
        "inviter": assignment.granted_by,
        "role": assignment.get_role_display(),
        "scope": assignment.establishment or assignment.structure or assignment.high_school,
        "accept_path": reverse("staff:accept_invitation", args=[raw]),
    }
    sent = _send("staff_invitation", user, site, context)
    logger.info("invitation of user %s renewed on site %s", user.pk, site.pk)
    return sent


def revoke(actor, site, assignment):
    """Withdraw a role assignment. The site always keeps at least one master referent."""
    if assignment.site_id != site.pk or not policy.can(actor, policy.Action.GRANT, assignment, site):
        raise PermissionDenied
    with transaction.atomic():
        if assignment.role == Role.MASTER_REFERENT:
            masters = list(
                RoleAssignment.objects.select_for_update()
                .filter(site=site, role=Role.MASTER_REFERENT)
                .values_list("pk", flat=True)
            )
            if masters == [assignment.pk]:
                raise ValidationError(LAST_MASTER_MESSAGE, code="last_master")
        log_action(
            "staff.role.revoked",
            site=site,
            actor=actor.user,
            obj=assignment,
            subject=assignment.user,
            data=_role_facts(assignment),
        )
        RoleAssignment.objects.filter(site=site, pk=assignment.pk).delete()
    logger.info("role assignment %s withdrawn on site %s by user %s", assignment.pk, site.pk, actor.user_id)


def invitation_for(raw, site):
    """The valid invitation token behind a link, on this site, or None (unknown, used, expired)."""
    token = peek_token(raw, AccountToken.Purpose.INVITATION)
    if token is None or token.site_id != site.pk:
        return None
    return token


def accept_invitation(raw, site, password):
    """Use an invitation link once: set the password, activate the account. Returns the user or None."""
    if invitation_for(raw, site) is None:
        return None
    with transaction.atomic():
        token = consume_token(raw, AccountToken.Purpose.INVITATION)
        if token is None:
            return None
        user = token.user
        user.set_password(password)
        user.is_active = True
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
        user.save(update_fields=["password", "is_active", "email_confirmed_at"])
        log_action("staff.invitation.accepted", site=site, actor=user, obj=user)
    return user


def sign_charter(actor, site, *, establishment=None, high_school=None):
    """Sign the current charter for a host establishment or host high school (idempotent).

    Only the establishment's referent, or the host high school's referent, signs for it;
    the master establishment never signs.
    """
    charter = current_charter(site)
    if charter is None:
        raise ValidationError(_("There is no charter to sign."), code="no_charter")
    if (establishment is None) == (high_school is None):
        raise ValidationError(_("Choose what you sign for."), code="party")
    party = establishment or high_school
    if party.site_id != site.pk:
        raise PermissionDenied
    if establishment is not None:
        allowed = not establishment.is_master and establishment.pk in actor.managed_establishments
    else:
        allowed = high_school.pk in actor.host_high_schools
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        signature, created = CharterSignature.objects.get_or_create(
            site=site,
            charter=charter,
            establishment=establishment,
            high_school=high_school,
            defaults={"signed_by": actor.user},
        )
        if created:
            facts = {"charter": charter.version, "party": party}
            log_action("staff.charter.signed", site=site, actor=actor.user, obj=signature, data=facts)
    if created:
        logger.info("charter %s signed for %s by user %s", charter.pk, party, actor.user_id)
    return signature


CHARTER_FIELDS = ("version", "text", "published_at")


def save_charter(by, site, charter):
    """Save a version of the charter (the admin's form has set its fields).

    Logs ``staff.charter.created`` / ``changed``, and ``staff.charter.published`` when it gets
    its publication date (the newest published version is the one to sign).
    """
    if charter.site_id is not None and charter.site_id != site.pk:
        raise PermissionDenied
    charter.site = site
    adding = charter.pk is None
    before = {} if adding else dict(Charter.objects.filter(pk=charter.pk).values(*CHARTER_FIELDS).first() or {})
    with transaction.atomic():
        charter.save()
        if adding:
            log_action("staff.charter.created", site=site, actor=by, obj=charter, data={"version": charter.version})
        else:
            # The text is long: its change is named, without its values.
            data = changes(before, snapshot(charter, CHARTER_FIELDS), CHARTER_FIELDS, hidden=("text",))
            if data:
                log_action("staff.charter.changed", site=site, actor=by, obj=charter, data=data)
        if charter.published_at is not None and before.get("published_at") is None:
            facts = {"version": charter.version, "published_at": charter.published_at}
            log_action("staff.charter.published", site=site, actor=by, obj=charter, data=facts)
    return charter
