"""Single-use, expiring, hashed tokens: the only way a link in an e-mail proves anything.

``issue_token`` returns the raw secret (to put in the link) and stores only its SHA-256
digest. ``consume_token`` finds the token by digest, checks purpose and expiry, and marks
it used in the same UPDATE, so two clicks on the same link cannot both succeed.
Issuing a token of a purpose revokes the person's earlier unused tokens of that purpose.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import AccountToken

DEFAULT_LIFETIMES = {
    AccountToken.Purpose.ACTIVATION: timedelta(days=3),
    AccountToken.Purpose.PASSWORD_RESET: timedelta(hours=2),
    AccountToken.Purpose.EMAIL_CHANGE: timedelta(hours=24),
    AccountToken.Purpose.INVITATION: timedelta(days=14),
    AccountToken.Purpose.EMAIL_CONFIRMATION: timedelta(hours=24),
}


def _digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(user, purpose, *, site=None, lifetime=None, payload=None):
    """Create a token and return its raw secret (never stored)."""
    now = timezone.now()
    AccountToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    raw = secrets.token_urlsafe(32)
    AccountToken.objects.create(
        user=user,
        site=site,
        purpose=purpose,
        digest=_digest(raw),
        payload=payload or {},
        expires_at=now + (lifetime or DEFAULT_LIFETIMES[purpose]),
    )
    return raw


def peek_token(raw, purpose):
    """The valid (unused, unexpired) token for this secret and purpose, without using it."""
    if not raw or len(raw) > 100:
        return None
    return (
        AccountToken.objects.select_related("user")
        .filter(digest=_digest(raw), purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def consume_token(raw, purpose):
    """Use a token once: returns it, or None if unknown, expired, used, or of another purpose."""
    token = peek_token(raw, purpose)
    if token is None:
        return None
    used = AccountToken.objects.filter(pk=token.pk, used_at__isnull=True).update(used_at=timezone.now())
    return token if used == 1 else None
