"""Write side of federated sign-in: who an identity provider's answer is, and what it creates.

Rules:

* CAS is for staff only: the account must exist and hold a staff role on the site; it is
  matched on a linked CAS username, or on the e-mail (attribute, or a username that is an
  e-mail), case-insensitive. Nobody is ever created through CAS.
* RENATER: staff must exist (same matching, plus the eppn); students are created on their
  first sign-in after they confirm, with their home institution from the national directory.
* EduConnect: pupils are created on their first sign-in, found again by their persistent id;
  their names and birth date come from EduConnect and are locked. Legal guardians (who
  have EduConnect accounts too) are refused.
* A first sign-in (account or record created) happens only while the site's sign-in window is open.
"""

import datetime as dt
import secrets
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import AccountToken, Role, RoleAssignment, User
from apps.accounts.policy import STAFF_ROLES
from apps.accounts.services import signin_window
from apps.accounts.tokens import consume_token, issue_token
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.notifications.services import send_message
from apps.organisations.models import HighSchool
from apps.records.models import PupilRecord
from apps.records.services import ensure_record

from .models import FederatedIdentity, Provider, subject_digest
from .saml import attribute, first
from .selectors import educonnect_level

PLACEHOLDER_DOMAIN = "educonnect.invalid"
MAX_SUBJECT_LENGTH = 1024
PENDING_STUDENT_SECONDS = 15 * 60
STUDENT_AFFILIATIONS = {"student"}
#: FrEduCtPersonAffiliation: "eleve1d" / "eleve2d" for pupils (primary / secondary school),
#: "resp1d" / "resp2d" for their legal guardians.
PUPIL_AFFILIATION = "eleve"
GUARDIAN_AFFILIATION = "resp"
STAFF_AFFILIATIONS = {"staff", "faculty", "employee", "teacher", "researcher"}


class SignInRefused(PermissionDenied):
    """A sign-in the platform refuses, with a reason the person can read."""

    MESSAGES = {
        "no_account": _(
            "You have no account on this site yet. Staff accounts are created by invitation: "
            "ask your referent to invite you, then sign in again."
        ),
        "window_closed": _(
            "Accounts cannot be created at the moment: sign-up opens with the university year. Please come back later."
        ),
        "missing_attributes": _(
            "Your identity provider did not send all the information we need (name, e-mail or identifier). "
            "Please contact your institution's help desk."
        ),
        "invalid_response": _(
            "The answer of your identity provider could not be verified (expired, not meant for this site, "
            "or not properly signed). Please try to sign in again."
        ),
        "unknown_provider": _("This identity provider is not accepted on this site."),
        "not_allowed": _("Only students can create an account through the federation."),
        "guardian": _(
            "Signing in with EduConnect is for pupils, and this is a parent (legal guardian) account. "
            "The pupil should sign in with their own EduConnect account; no account was created."
        ),
        "not_pupil": _("Only pupils can sign in with EduConnect on this site; no account was created."),
        "expired": _("This sign-in took too long. Please start again."),
    }

    def __init__(self, reason, detail=""):
        self.reason = reason
        self.detail = detail
        super().__init__(reason)

    @property
    def message(self):
        return self.MESSAGES.get(self.reason, self.MESSAGES["invalid_response"])


# --- Identities ----------------------------------------------------------------------------------


def find_identity(provider, issuer, subject):
    return (
        FederatedIdentity.objects.select_related("user")
        .filter(digest=subject_digest(provider, issuer, subject))
        .first()
    )


def link_identity(user, provider, issuer, subject):
    """Remember that this subject of this identity provider is ``user`` (pre-creation for CAS/SAML too)."""
    if not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise ValueError(f"A subject must be given, of at most {MAX_SUBJECT_LENGTH} characters.")
    digest = subject_digest(provider, issuer, subject)
    try:
        with transaction.atomic():
            identity, _created = FederatedIdentity.objects.get_or_create(
                digest=digest, defaults={"user": user, "provider": provider, "issuer": issuer, "subject": subject}
            )
    except IntegrityError:
        identity = FederatedIdentity.objects.get(digest=digest)
    if identity.user_id != user.pk:
        raise ValueError("This identity already belongs to another account.")
    FederatedIdentity.objects.filter(pk=identity.pk).update(last_used_at=timezone.now())
    return identity


def _roles(site, user):
    return set(RoleAssignment.objects.filter(site=site, user=user).values_list("role", flat=True))


def _user_by_email(*candidates):
    emails = [c.strip() for c in candidates if c and "@" in c and len(c) <= 254]
    for email in emails:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user
    return None


def _require_window(site):
    if not signin_window(site).is_open:
        raise SignInRefused("window_closed")


# --- CAS -----------------------------------------------------------------------------------------


def cas_staff_user(site, server_url, username, attributes):
    """The existing staff account a CAS answer stands for, or SignInRefused. Creates nothing."""
    username = (username or "").strip()
    if not username or len(username) > MAX_SUBJECT_LENGTH:
        raise SignInRefused("invalid_response")
    attributes = attributes or {}
    identity = find_identity(Provider.CAS, server_url, username)
    user = identity.user if identity else None
    if user is None:
        mail = attributes.get("mail") or attributes.get("email") or ""
        if isinstance(mail, list | tuple):
            mail = mail[0] if mail else ""
        user = _user_by_email(str(mail), username)
    if user is None or not user.is_active or not (_roles(site, user) & STAFF_ROLES):
        raise SignInRefused("no_account")
    link_identity(user, Provider.CAS, server_url, username)
    return user


# --- RENATER -------------------------------------------------------------------------------------


def _uais(values):
    found = []
    for value in values:
        code = value.strip()
        if code.upper().startswith("{UAI}"):
            code = code[5:]
        code = code.strip().upper()
        if len(code) == 8:
            found.append(code)
    return found


def resolve_shibboleth(site, federation, issuer, ava):
    """("login", user) for a known person, ("confirm", pending) for a student's first sign-in."""
    f = federation
    eppn = first(ava, f.shibboleth_attr_eppn)
    email = first(ava, f.shibboleth_attr_email)
    if not eppn or len(eppn) > MAX_SUBJECT_LENGTH:
        raise SignInRefused("missing_attributes")
    affiliations = {value.lower().split("@")[0] for value in attribute(ava, f.shibboleth_attr_affiliation)}
    identity = find_identity(Provider.SHIBBOLETH, issuer, eppn)
    user = identity.user if identity else _user_by_email(email, eppn)
    if user is not None and user.is_active:
        roles = _roles(site, user)
        if roles & STAFF_ROLES or Role.STUDENT in roles:
            link_identity(user, Provider.SHIBBOLETH, issuer, eppn)
            return "login", user
    if not affiliations & STUDENT_AFFILIATIONS:
        raise SignInRefused("no_account" if affiliations & STAFF_AFFILIATIONS or not affiliations else "not_allowed")
    if user is not None and not user.is_active:
        raise SignInRefused("no_account")
    _require_window(site)
    first_name = first(ava, f.shibboleth_attr_first_name)
    last_name = first(ava, f.shibboleth_attr_last_name)
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    if not (email and first_name and last_name):
        raise SignInRefused("missing_attributes")
    pending = {
        "site": site.pk,
        "issuer": issuer,
        "eppn": eppn,
        "email": email,
        "first_name": first_name[:150],
        "last_name": last_name[:150],
        "uais": _uais(attribute(ava, f.shibboleth_attr_institution)),
        "user": user.pk if user else None,
        "at": time.time(),
    }
    return "confirm", pending


def pending_institution(pending):
    uais = pending.get("uais") or []
    return HigherEducationInstitution.objects.filter(uai__in=uais).order_by("label").first() if uais else None


@transaction.atomic
def create_student(site, pending):
    """Create (or complete) the student's account and record after they confirmed."""
    if pending.get("site") != site.pk:
        raise SignInRefused("unknown_provider")
    if time.time() - pending.get("at", 0) > PENDING_STUDENT_SECONDS:
        raise SignInRefused("expired")
    _require_window(site)
    user = User.objects.filter(pk=pending["user"]).first() if pending.get("user") else None
    user = user or _user_by_email(pending["email"])
    if user is None:
        user = User.objects.create_user(
            pending["email"],
            None,
            first_name=pending["first_name"],
            last_name=pending["last_name"],
            email_confirmed_at=timezone.now(),
        )
    elif not user.is_active:
        raise SignInRefused("no_account")
    record = ensure_record(site, user, Role.STUDENT)
    if record.institution_id is None:
        institution = pending_institution(pending)
        if institution is not None:
            record.institution = institution
            record.save(update_fields=["institution", "updated_at"])
    link_identity(user, Provider.SHIBBOLETH, pending["issuer"], pending["eppn"])
    return user


# --- EduConnect ----------------------------------------------------------------------------------


def parse_birth_date(value):
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            day = dt.datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
        if dt.date(1900, 1, 1) <= day <= timezone.localdate():
            return day
    return None


def _school_for(site, uai):
    if not uai:
        return None, None
    high_school = HighSchool.objects.filter(site=site, uai=uai, is_active=True).first()
    if high_school is not None:
        return high_school, None
    return None, SchoolDirectoryEntry.objects.filter(uai=uai).first()


def placeholder_email():
    return f"{secrets.token_hex(12)}@{PLACEHOLDER_DOMAIN}"


def has_placeholder_email(user):
    return bool(user.email) and user.email.endswith("@" + PLACEHOLDER_DOMAIN)


def _require_pupil(federation, ava):
    """Only pupils sign in with EduConnect: a legal guardian's account is refused, before anything is read."""
    name = federation.educonnect_attr_affiliation
    if not name:
        return
    affiliations = [value.lower() for value in attribute(ava, name)]
    if not affiliations:
        raise SignInRefused("missing_attributes")
    if any(value.startswith(PUPIL_AFFILIATION) for value in affiliations):
        return
    raise SignInRefused("guardian" if any(v.startswith(GUARDIAN_AFFILIATION) for v in affiliations) else "not_pupil")


@transaction.atomic
def educonnect_pupil(site, federation, issuer, name_id, ava):
    """The pupil an EduConnect answer stands for, created on the first sign-in. Returns (user, created).

    The level comes from what EduConnect sends (see :func:`.selectors.educonnect_level`);
    when it names no level of the site, the record has none and the pupil chooses it.
    """
    f = federation
    _require_pupil(f, ava)
    pid = first(ava, f.educonnect_attr_persistent_id) if f.educonnect_attr_persistent_id else (name_id or "")
    if not pid:
        raise SignInRefused("missing_attributes")
    if len(pid) > MAX_SUBJECT_LENGTH:
        raise SignInRefused("invalid_response")
    first_name = first(ava, f.educonnect_attr_first_name)[:150]
    last_name = first(ava, f.educonnect_attr_last_name)[:150]
    birth_date = parse_birth_date(first(ava, f.educonnect_attr_birth_date))
    if not (first_name and last_name and birth_date):
        raise SignInRefused("missing_attributes")
    identity = find_identity(Provider.EDUCONNECT, issuer, pid)
    user = identity.user if identity else None
    if user is not None and not user.is_active:
        raise SignInRefused("no_account")
    record = PupilRecord.objects.filter(site=site, user=user).first() if user else None
    if record is None:
        _require_window(site)
    created = user is None
    if created:
        email = first(ava, f.educonnect_attr_email)[:254]
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        if email and User.objects.filter(email__iexact=email).exists():
            email = ""
        user = User.objects.create_user(
            email or placeholder_email(),
            None,
            first_name=first_name,
            last_name=last_name,
            email_confirmed_at=timezone.now() if email else None,
        )
        link_identity(user, Provider.EDUCONNECT, issuer, pid)
    else:
        if (user.first_name, user.last_name) != (first_name, last_name):
            user.first_name, user.last_name = first_name, last_name
            user.save(update_fields=["first_name", "last_name"])
        FederatedIdentity.objects.filter(pk=identity.pk).update(last_used_at=timezone.now())
    if record is None:
        record = ensure_record(site, user, Role.PUPIL)
        high_school, entry = _school_for(site, first(ava, f.educonnect_attr_uai).upper())
        record.high_school, record.school_entry = high_school, entry
    if record.level_id is None:  # never overrides the level the pupil chose
        record.level = educonnect_level(site, first(ava, f.educonnect_attr_mefstat4))
    record.birth_date = birth_date
    record.identity_locked = True
    record.save()
    return user, created


# --- E-mail of a pupil who came without one ------------------------------------------------------


def request_email_confirmation(site, user, email):
    """Send a confirmation link to the address the person gave.

    If another account already uses it, that address gets a notice instead, and the page
    says the same in both cases: no page tells whether an address has an account.
    Returns whether a link was sent.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        send_message("federation_email_in_use", to=email, site=site)
        return False
    raw = issue_token(user, AccountToken.Purpose.EMAIL_CONFIRMATION, site=site, payload={"email": email})
    link = reverse("federation:confirm_email", args=[raw])
    send_message("federation_email_confirmation", to=email, site=site, context={"user": user, "link": link})
    return True


@transaction.atomic
def confirm_email(raw):
    """Use a confirmation link: the address becomes the account's, confirmed. Returns the user or None."""
    token = consume_token(raw, AccountToken.Purpose.EMAIL_CONFIRMATION)
    if token is None:
        return None
    email = (token.payload or {}).get("email", "")
    user = User.objects.select_for_update().get(pk=token.user_id)
    if not email or User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        return None
    user.email = email
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "email_confirmed_at"])
    return user
