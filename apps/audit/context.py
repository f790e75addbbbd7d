"""Where an action comes from, set by the face that received it, read by :func:`log_action`.

Services take no request: a view (through :class:`ActionContextMiddleware`) records the
client's IP address and, under support access, the person whose session is used. A job or
a command leaves both empty. ``acting_as`` is set by the support-access face when it exists.
"""

import contextlib
import contextvars
from dataclasses import dataclass

from apps.core.http import client_ip


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    acting_as: object = None  # the user whose session a support agent uses


_NOWHERE = Origin()
_current = contextvars.ContextVar("immersup_action_origin", default=None)


def current() -> Origin:
    return _current.get() or _NOWHERE


@contextlib.contextmanager
def origin(ip=None, acting_as=None):
    token = _current.set(Origin(ip=ip or None, acting_as=acting_as))
    try:
        yield
    finally:
        _current.reset(token)


class ActionContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with origin(ip=client_ip(request)):
            return self.get_response(request)
