"""The secrets a message carries (single-use links), and their masking in the stored copy.

A message may hold a working secret: the link of an account activation, a password reset, a
change of e-mail address, a staff invitation (valid 14 days), an e-mail confirmation. The
e-mail itself must carry it; the outbox's stored copy must not, once it is no longer needed
to send the message. The secrets are found where they are made — the links the message's
variables (or its caller's context) hold: any address of one of the platform's pages whose
route captures a ``token`` (the project's one name for a secret in an address), plus a
context entry named ``token`` — never by guessing in the rendered text, so that whatever a
site's editor writes around a link, the secret is known.

:func:`mask` replaces each secret by ``MASK`` (``…/password/reset/••••••/``): the outbox
stores the list of a pending message's secrets, and the delivery rewrites the stored subject
and body with them masked, then forgets them, as soon as the message is sent or failed for
good. The admin shows the masked text at every stage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.urls import Resolver404, resolve

MASK = "••••••"
#: The route argument that holds a secret, in every URL pattern of the project.
ROUTE_ARGUMENT = "token"
#: The context entry that holds a raw secret, in every message that carries one.
CONTEXT_ENTRY = "token"
#: Shorter values are not secrets (the platform's tokens have 43 characters): masking them
#: would blank ordinary text.
MIN_SECRET_LENGTH = 16

_ADDRESS = re.compile(r"(?:https?://[^\s/]+)?(/[^\s<>\"'()\[\]{}]*)")


def _route_secrets(text: str):
    """The secrets in the addresses (absolute, or paths) of the platform's pages within ``text``."""
    for match in _ADDRESS.finditer(text):
        path = unquote(urlsplit(match.group(0)).path)
        for candidate in dict.fromkeys((path, path.rstrip(".,;:!?»"))):  # a link ending a sentence
            try:
                value = resolve(candidate).kwargs.get(ROUTE_ARGUMENT)
            except Resolver404:
                continue
            if value:
                yield str(value)
                break


def find_secrets(values: Iterable, context: dict | None = None) -> set[str]:
    """The secrets among a message's variable values and its caller's context."""
    found = set()
    context = context or {}
    raw = context.get(CONTEXT_ENTRY)
    if raw:
        found.add(str(raw))
    for value in (*values, *context.values()):
        if isinstance(value, str) and "/" in value:
            found.update(_route_secrets(value))
    return {secret for secret in found if len(secret) >= MIN_SECRET_LENGTH}


def secrets_in(texts: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """The secrets that a message's texts actually hold, longest first (the order of masking)."""
    texts = tuple(texts)
    return sorted({s for s in secrets if any(s in text for text in texts)}, key=lambda s: (-len(s), s))


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets or (), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
