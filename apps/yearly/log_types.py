"""The action types of the yearly cycle: its figures, the purge and its archive."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "yearly.statistics.computed": _("Annual figures computed"),
        "yearly.statistics.frozen": _("Annual figures frozen"),
        "yearly.purge.simulated": _("Purge dry run"),
        "yearly.purge.requested": _("Purge requested"),
        "yearly.purge.finished": _("Purge finished"),
        "yearly.purge.failed": _("Purge failed"),
        "yearly.archive.downloaded": _("Purge archive downloaded"),
    }
)
