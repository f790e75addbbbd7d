"""Sign-ins into the action log: the receivers of django.contrib.auth's and django-axes' signals
(the face: they read the request's site and find the account the typed address leads to, then
call :mod:`.sign_ins`)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.dispatch import receiver

from . import sign_ins
from .lockout import typed_identity


def _site(request):
    return getattr(request, "site", None) if request is not None else None


def _account(typed):
    """The account an address typed leads to, as the authentication backend finds it (or None)."""
    if not isinstance(typed, str) or not typed.strip() or "\x00" in typed:
        return None
    try:
        return get_user_model()._default_manager.get_by_natural_key(typed.strip())
    except (ObjectDoesNotExist, MultipleObjectsReturned):
        return None


@receiver(user_logged_in, dispatch_uid="accounts_log_sign_in")
def log_sign_in(sender, request=None, user=None, **kwargs):
    sign_ins.record_sign_in(_site(request), user)


@receiver(user_login_failed, dispatch_uid="accounts_log_failed_sign_in")
def log_failed_sign_in(sender, credentials=None, request=None, **kwargs):
    site = _site(request)
    if site is None or getattr(request, "axes_locked_out", False):  # the lock-out's own row says it
        return
    sign_ins.record_failed_sign_in(site, _account(typed_identity(request, credentials)))


@receiver(user_locked_out, dispatch_uid="accounts_log_locked_out")
def log_locked_out(sender, request=None, username=None, **kwargs):
    site = _site(request)
    if site is not None:
        sign_ins.record_failed_sign_in(site, _account(username), locked_out=True)
