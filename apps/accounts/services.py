"""Account rules shared by every sign-in path (local, CAS, SAML, EduConnect), and the local accounts.

Local accounts never tell whether an e-mail address has an account: every use case that
starts from an address (sign-up, new activation link, password reset, e-mail change) does
the same visible thing whatever the answer, and writes to the address's owner instead.
The first three run outside the request (:mod:`.tasks`): the page does the same work for
every address, and the lookup happens here.

A staff member invited with a local account, who never chose a password, gets a new
invitation link whichever of these they try (the staff app's, through :mod:`.hooks`).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from apps.academic_calendar.models import UniversityYear
from apps.audit.services import pseudonymise_person
from apps.notifications.services import send_message
from apps.tenancy.scoping import platform_job

from . import hooks
from .models import AccountToken, Role, RoleAssignment, User
from .policy import actor_for
from .tokens import consume_token, issue_token

#: Populations that sign up with a local account, and the role each one gets.
LOCAL_POPULATIONS = {"pupil": Role.PUPIL, "visitor": Role.VISITOR}
#: How a session was opened (``request.session["auth_method"]``).
LOCAL_AUTH = "local"
FEDERATED_AUTH_METHODS = frozenset({"cas", "shibboleth", "educonnect"})


@dataclass(frozen=True)
class SignInWindow:
    is_open: bool
    year: UniversityYear | None

    @property
    def opens_on(self):
        return self.year.accounts_open_date if self.year else None

    @property
    def closes_on(self):
        return self.year.end_date if self.year else None


def signin_window(site, today=None) -> SignInWindow:
    """Sign-up and first sign-in are open from the current year's opening date to its end."""
    today = today or timezone.localdate()
    year = UniversityYear.objects.filter(site=site, is_active=True).first()
    if year is None:
        return SignInWindow(False, None)
    return SignInWindow(year.accounts_open_date <= today <= year.end_date, year)


def first_sign_in_allowed(user, site, today=None) -> bool:
    """May this person sign in now? Returning people always; a first sign-in only in the window.

    Staff of the site (and the operator) are not held by the window: they prepare the next
    year while it is closed, and a new site has no year until its master referent creates one.
    """
    if user.last_login is not None or actor_for(user, site).is_staff:
        return True
    return signin_window(site, today).is_open


def normalise_email(email):
    return (email or "").strip().lower()


def _user_by_email(email):
    return User.objects.filter(email__iexact=normalise_email(email)).first()


def current_language():
    language = translation.get_language() or settings.LANGUAGE_CODE
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else settings.LANGUAGE_CODE


# --- Sign-up and activation ---------------------------------------------------------------


def sign_up(site, *, population, email, first_name, last_name, password_hash, language=None):
    """Create an inactive account with its role and record, and send the activation link.

    ``password_hash`` is the chosen password, already hashed by the page (as slow for every
    address). If the address already has an account, nothing is created: its owner gets a
    message saying so (with a new activation link if the account was never activated, or a
    new invitation if it awaits one). The caller answers the same way in both cases.
    Returns the new user, or None.
    """
    role = LOCAL_POPULATIONS[population]
    email = normalise_email(email)
    existing = _user_by_email(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = User(
                    email=email,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    is_active=False,
                    preferred_language=language or current_language(),
                )
                user.password = password_hash
                user.save()
                hooks.account_signed_up.send(sender=User, site=site, user=user, role=role)  # the record
                raw = issue_token(user, AccountToken.Purpose.ACTIVATION, site=site)
        except IntegrityError:  # the same address signed up at the same moment
            existing = _user_by_email(email)
            if existing is None:
                raise
        else:
            context = {"user": user, "token": raw}
            send_message("account_activation", to=user, site=site, context=context)
            return user
    if not (awaits_invitation(existing) and _renew_invitation(existing, site)):
        _send_account_exists(existing, site)
    return None


def _send_account_exists(user, site):
    token = None
    if not user.is_active and user.last_login is None and not awaits_invitation(user):
        token = issue_token(user, AccountToken.Purpose.ACTIVATION, site=site)
    send_message("account_exists", to=user, site=site, context={"user": user, "token": token})


def awaits_invitation(user):
    """Invited as staff with a local account, and has not chosen a password yet.

    Their way in is a new invitation link: an activation link would open an account with
    no password, and a reset link is for accounts that have one.
    """
    return not user.is_active and user.last_login is None and not user.has_usable_password()


def _renew_invitation(user, site):
    return hooks.renew_invitation(user, site)


def resend_activation(site, email):
    """Send a new activation link if this address has an account never activated; else nothing.

    An invited staff member gets a new invitation link instead.
    """
    user = _user_by_email(email)
    if user is None or user.is_active or user.last_login is not None:
        return False
    if awaits_invitation(user):
        return _renew_invitation(user, site)
    raw = issue_token(user, AccountToken.Purpose.ACTIVATION, site=site)
    send_message("account_activation", to=user, site=site, context={"user": user, "token": raw})
    return True


@transaction.atomic
def activate(raw_token):
    """Use an activation link: the activated user, or None if the link is not valid (any more)."""
    token = consume_token(raw_token, AccountToken.Purpose.ACTIVATION)
    if token is None:
        return None
    user = token.user
    user.is_active = True
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


# --- Passwords -------------------------------------------------------------------------


def request_password_reset(site, email):
    """Send a reset link to the address's owner, if any, who may use a password; else nothing.

    People with no usable password sign in through their institution (CAS, SAML,
    EduConnect); accounts switched off after use stay off. A staff member invited with a
    local account who never chose a password gets a new invitation link instead.
    """
    user = _user_by_email(email)
    if user is None:
        return False
    if awaits_invitation(user):
        return _renew_invitation(user, site)
    if not user.has_usable_password() or (not user.is_active and user.last_login is not None):
        return False
    raw = issue_token(user, AccountToken.Purpose.PASSWORD_RESET, site=site)
    send_message("password_reset", to=user, site=site, context={"user": user, "token": raw})
    return True


@transaction.atomic
def reset_password(raw_token, password):
    """Set a new password through a reset link. The user, or None if the link is not valid.

    The link proves the address: it is marked confirmed, and an account never activated
    is activated. Changing the password ends every session opened with the old one.
    """
    token = consume_token(raw_token, AccountToken.Purpose.PASSWORD_RESET)
    if token is None:
        return None
    user = token.user
    user.set_password(password)
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
    if not user.is_active and user.last_login is None:
        user.is_active = True
    user.save(update_fields=["password", "email_confirmed_at", "is_active"])
    return user


# --- E-mail change ----------------------------------------------------------------------


def request_email_change(user, new_email, site):
    """Send a confirmation link to the new address, and a notice to the current one.

    If the new address already belongs to someone, its owner is told instead, and the
    person asking sees the same thing as when it is free.
    """
    new_email = normalise_email(new_email)
    owner = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if owner is not None:
        send_message("email_taken_notice", to=owner, site=site, context={"user": owner})
    else:
        raw = issue_token(user, AccountToken.Purpose.EMAIL_CHANGE, site=site, payload={"email": new_email})
        send_message(
            "email_change_confirm",
            to=new_email,
            language=user.preferred_language,
            site=site,
            context={"user": user, "token": raw, "new_email": new_email},
        )
    send_message("email_change_notice", to=user, site=site, context={"user": user, "new_email": new_email})


def confirm_email_change(raw_token):
    """Use an e-mail change link: the user with their new address, or None.

    None too when someone took the address since the link was sent.
    """
    try:
        with transaction.atomic():
            token = consume_token(raw_token, AccountToken.Purpose.EMAIL_CHANGE)
            new_email = normalise_email((token.payload or {}).get("email")) if token else ""
            if not new_email or User.objects.filter(email__iexact=new_email).exclude(pk=token.user_id).exists():
                return None
            user = token.user
            user.email = new_email
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email", "email_confirmed_at"])
            return user
    except IntegrityError:  # taken at the same moment
        return None


# --- Accounts never activated ---------------------------------------------------------------


def unactivated_accounts(now=None, days=None):
    """Accounts created by a sign-up more than ``days`` ago and never activated (every site)."""
    now = now or timezone.now()
    days = settings.UNACTIVATED_ACCOUNT_DAYS if days is None else days
    other_roles = (
        RoleAssignment.objects.with_scopes_disabled()
        .filter(user=OuterRef("pk"))
        .exclude(role__in=[Role.PUPIL, Role.VISITOR])
    )
    return User.objects.filter(
        is_active=False,
        last_login__isnull=True,
        email_confirmed_at__isnull=True,
        is_operator=False,
        is_superuser=False,
        date_joined__lt=now - timedelta(days=days),
    ).exclude(Exists(other_roles))


def delete_unactivated_accounts(now=None, dry_run=False, days=None):
    """Delete the accounts never activated (with their roles, records and tokens). Returns their number."""
    with platform_job(), transaction.atomic():
        accounts = unactivated_accounts(now, days)
        count = accounts.count()
        if not dry_run and count:
            doomed = list(accounts)
            for user in doomed:  # never signed in: what the log holds is about them, nothing they did to others
                pseudonymise_person(user)
            User.objects.filter(pk__in=[user.pk for user in doomed]).delete()
    return count
