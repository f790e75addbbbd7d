"""State of the back office that belongs to a person: the filters they keep on each list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class SavedListFilter(SiteOwnedModel):
    """The last filters and sort a person used on one back-office list, restored on return."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_list_filters", verbose_name=_("user")
    )
    list_key = models.CharField(_("list"), max_length=60)
    query_string = models.CharField(_("filters"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved list filter")
        verbose_name_plural = _("saved list filters")
        constraints = [
            models.UniqueConstraint(fields=["site", "user", "list_key"], name="savedlistfilter_one_per_list"),
        ]

    def __str__(self):
        return f"{self.user} — {self.list_key}"
