"""The action types of establishments, high schools, structures, campuses and buildings (each
named after its model; trainings are the catalogue's)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "organisations.establishment.created": _("Establishment created"),
        "organisations.establishment.changed": _("Establishment changed"),
        "organisations.establishment.deactivated": _("Establishment deactivated"),
        "organisations.establishment.deleted": _("Establishment deleted"),
        "organisations.highschool.created": _("High school created"),
        "organisations.highschool.changed": _("High school changed"),
        "organisations.highschool.deactivated": _("High school deactivated"),
        "organisations.structure.created": _("Structure created"),
        "organisations.structure.changed": _("Structure changed"),
        "organisations.structure.deactivated": _("Structure deactivated"),
        "organisations.structure.deleted": _("Structure deleted"),
        "organisations.campus.created": _("Campus created"),
        "organisations.campus.changed": _("Campus changed"),
        "organisations.campus.deactivated": _("Campus deactivated"),
        "organisations.campus.deleted": _("Campus deleted"),
        "organisations.building.created": _("Building created"),
        "organisations.building.changed": _("Building changed"),
        "organisations.building.deactivated": _("Building deactivated"),
        "organisations.building.deleted": _("Building deleted"),
    }
)
