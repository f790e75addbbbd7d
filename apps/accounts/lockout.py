"""Whom a failed sign-in counts against: one key per account, whichever form was used.

django-axes counts failures per (identity, IP address) and locks the identity out after
``AXES_FAILURE_LIMIT`` of them. Every sign-in path that checks a password hands the
address to ``authenticate()`` under its own name: ``email`` on the site's form,
``username`` on the admin's (Django's AuthenticationForm). ``AXES_USERNAME_CALLABLE``
points to :func:`failure_key` so that every path counts against the same key, and a
failure on one path counts on the others.

The key is the account the typed address leads to, found the way the authentication
backend finds it (``get_by_natural_key``, a case-insensitive match in the database), and
spelt as stored. A key built from the typed text alone is not enough: the database's
case-insensitive match is wider than Python's lower-casing (PostgreSQL's ``UPPER()``
turns "ı" and "ſ" into "I" and "S"), so each such spelling of one address would get a
counter of its own. An address with no account is keyed on its normalised text.
"""

from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist

#: The names under which a sign-in form or ``authenticate()`` call gives the address.
IDENTITY_FIELDS = ("email", "username")


def normalise(text):
    return (text or "").strip().lower()


def typed_identity(request, credentials=None):
    """The address given to ``authenticate()`` (or, failing that, posted), as typed."""
    sources = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "POST", None) or {})
    for source in sources:
        for name in IDENTITY_FIELDS:
            value = source.get(name)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _account_key(typed):
    if "\x00" not in typed:  # a NUL byte can match no address, and PostgreSQL refuses it
        try:
            user = get_user_model()._default_manager.get_by_natural_key(typed)
        except (ObjectDoesNotExist, MultipleObjectsReturned):
            pass
        else:
            return normalise(user.get_username())
    return normalise(typed)


def failure_key(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the key a sign-in attempt is counted under (None if no address)."""
    typed = typed_identity(request, credentials)
    if typed is None:
        return None
    # django-axes asks several times per attempt: look the account up once per request.
    known = request.__dict__.setdefault("_lockout_keys", {}) if request is not None else {}
    if typed not in known:
        known[typed] = _account_key(typed)
    return known[typed]


def check_current_password(request, user, password):
    """A signed-in person types their password again (to change it, their address, or delete the
    account): checked through ``authenticate()``, so that wrong guesses count against the same
    key as sign-ins and a locked-out account is refused here too. (django-axes' middleware then
    answers with the locked-out page.) True when the password is this person's."""
    if request is None:  # no request, nothing to count against: a plain check
        return user.check_password(password)
    found = authenticate(request=request, email=user.get_username(), password=password)
    return found is not None and found.pk == user.pk
