"""Possible duplicate accounts of a site, flagged on save and reviewed by the master referent."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class DuplicateCandidate(SiteOwnedModel):
    """Two accounts of a site that look like the same person (same names and birth date).

    A pair is stored once per site, its lower user id first. Once reviewed it is never
    flagged again: "not a duplicate" stays so, and a merged pair keeps the kept account
    (the removed one becomes empty when that account is deleted).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")
        MERGED = "merged", _("Merged")

    user_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first account"),
    )
    user_b = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second account"),
    )
    identity_key = models.CharField(
        _("identity key"),
        max_length=400,
        blank=True,
        help_text=_("Names and birth date, without accents, case or punctuation, that matched."),
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "user_a", "user_b"], name="duplicatecandidate_pair_once_per_site"),
            models.CheckConstraint(
                condition=Q(user_a__isnull=True) | Q(user_b__isnull=True) | Q(user_a__lt=F("user_b")),
                name="duplicatecandidate_pair_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(user_a__isnull=False, user_b__isnull=False),
                name="duplicatecandidate_open_has_both",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(reviewed_at__isnull=False),
                name="duplicatecandidate_review_is_dated",
            ),
        ]
        indexes = [models.Index(fields=["site", "status"], name="duplicatecandidate_status_idx")]

    def __str__(self):
        return f"{self.user_a or '—'} / {self.user_b or '—'}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def people(self):
        return [user for user in (self.user_a, self.user_b) if user is not None]
