"""The staff's sign-ins in the action log: who signed in to a site's staff face, whose password
was refused, whose account got locked out.

Only people holding a staff role on the site (or the operator) are logged: a registrant's
sign-ins are theirs, and a failure for an address with no account names nobody (the address
typed and the password are never logged). Every path of signing in (the site's form, the
admin's, CAS, SAML) goes through ``django.contrib.auth.login()`` / ``authenticate()``, whose
signals :mod:`.signals` turns into calls of these functions.
"""

from apps.audit.services import log_action

from .policy import actor_for

SUCCEEDED = "accounts.login.succeeded"
FAILED = "accounts.login.failed"
LOCKED_OUT = "accounts.login.locked_out"


def _is_staff(user, site):
    return user is not None and site is not None and actor_for(user, site).is_staff


def record_sign_in(site, user):
    """A staff member (or the operator) signed in on ``site``. Returns the row, or None."""
    if not _is_staff(user, site):
        return None
    return log_action(SUCCEEDED, site=site, actor=user, obj=user)


def record_failed_sign_in(site, user, *, locked_out=False):
    """A sign-in to a staff member's account failed (a wrong password, or ``locked_out``: refused
    after too many failures). ``user`` is the account the address typed leads to (None: nothing
    is logged). Returns the row, or None."""
    if not _is_staff(user, site):
        return None
    return log_action(LOCKED_OUT if locked_out else FAILED, site=site, actor=user, obj=user)
