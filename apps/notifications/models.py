"""The outbox of every e-mail, and the per-site texts of the messages.

``OutgoingMessage``: each message is rendered once and stored before it is sent, then
delivered outside the request (a Celery worker with a broker, the process's sender thread
without one). A message is claimed by a conditional update before it is handed to the mail
server, so that no two deliveries of one row can both send it; a failure (a time-out
included) leaves it pending with a later attempt time, and after ``MAX_ATTEMPTS`` it is
marked failed for the operator. ``dedup_key`` makes scheduled jobs idempotent: one message
per (site, key), whatever the number of runs. A message's single-use links are kept in clear
only while it is to send: once sent or failed for good, its stored copy holds them masked.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class OutgoingMessage(models.Model):
    """One e-mail to one address. Global: the operator watches the platform's mail in one place."""

    tenancy = "global"

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    site = models.ForeignKey(
        "tenancy.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    key = models.CharField(_("message"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient account"),
    )
    recipient = models.EmailField(_("recipient"))
    from_email = models.CharField(_("sender"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    dedup_key = models.CharField(_("once-only key"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The single-use secrets (links) the subject and body hold while the message is to send;
    # emptied, and the texts masked, once it is sent or failed for good (see masking.py).
    secrets = models.JSONField(_("secrets"), default=list, blank=True, editable=False)
    secrets_masked = models.BooleanField(_("link removed"), default=False)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_status_next_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "dedup_key"], condition=~Q(dedup_key=""), name="outgoing_once_per_site_and_key"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outgoing_sent_is_dated"
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.recipient} ({self.get_status_display()})"


class MessageTemplate(SiteOwnedModel):
    """A site's own text of one message in one language; without it, the default text applies."""

    key = models.CharField(_("message"), max_length=80)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("message text")
        verbose_name_plural = _("message texts")
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["site", "key", "language"], name="messagetemplate_one_per_language")
        ]

    def __str__(self):
        return f"{self.key} ({self.language})"
