"""The action types of statistics: every export of data by a staff member."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "statistics.export.downloaded": _("Export downloaded"),
    }
)
