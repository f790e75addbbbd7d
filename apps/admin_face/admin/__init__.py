"""The admin of the apps the admin face builds on (people and roles, sites and host names, the
action log): registered here, since the base classes (:mod:`apps.admin_face.base`) read those
apps, which therefore cannot import them. Every other app registers its models in its own
``admin.py`` with these base classes."""

from . import accounts, audit, tenancy  # noqa: F401
