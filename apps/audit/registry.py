"""The action types the log knows, each with a readable name.

Each app declares its own in ``<app>/log_types.py``::

    from apps.audit.registry import declare
    from django.utils.translation import gettext_lazy as _

    declare({
        "registrations.registration.created": _("Registration"),
        ...
    })

:func:`apps.audit.services.log_action` refuses an undeclared type, so the list in the README
and the filter of the log page are complete.
"""

_TYPES: dict = {}


def declare(types: dict) -> None:
    for name, label in types.items():
        if name.count(".") < 2:
            raise ValueError(f"Action type {name!r}: use app.object.verb")
        if name in _TYPES and _TYPES[name] != label:
            raise ValueError(f"Action type {name!r} declared twice")
        _TYPES[name] = label


def is_declared(name: str) -> bool:
    return name in _TYPES


def label(name: str) -> str:
    return str(_TYPES.get(name, name))


def all_types() -> dict:
    return dict(sorted(_TYPES.items()))
