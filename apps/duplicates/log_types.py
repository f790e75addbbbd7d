"""The action types of duplicate accounts: the master referent's decisions on a pair."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "duplicates.pair.merged": _("Duplicate accounts merged"),
        "duplicates.pair.dismissed": _("Pair marked as not a duplicate"),
    }
)
