"""Write side of statistics: the record of who exported what.

Every view of the back office that hands out a file of the site's data (the statistics
exports, a slot's attendance list...) builds the file, then calls :func:`log_export`: one row
in the action log per export, with its kind, format, filters, whether it names people, and
how many rows it holds.
"""

from django.db import transaction

from apps.audit.services import log_action

EXPORT_OBJECT_TYPE = "statistics.export"


@transaction.atomic
def log_export(*, actor, site, kind, nominative, rows, filters=None, fmt="", label="", obj=None):
    """Record that ``actor`` downloaded an export of ``kind`` (about ``obj``, when it is one object's)."""
    data = {
        "export": kind,
        "format": fmt,
        "nominative": bool(nominative),
        "rows": rows,
        "filters": {name: value for name, value in (filters or {}).items() if value not in (None, "", [], ())},
    }
    return log_action(
        "statistics.export.downloaded",
        site=site,
        actor=actor,
        obj=obj,
        data=data,
        label=label or kind,
        object_type=None if obj is not None else EXPORT_OBJECT_TYPE,
    )
