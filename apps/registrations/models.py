"""Registrations: who comes to which slot. The rules live in the services module."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.storage import private_storage
from apps.tenancy.models import SiteOwnedModel


class Status(models.TextChoices):
    ACTIVE = "active", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    NOT_ENTERED = "not_entered", _("Not recorded")
    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Attended remotely")
    ABSENT = "absent", _("Absent")


CANCELLED_HAS_DATE = Q(status=Status.ACTIVE, cancelled_at__isnull=True) | Q(
    status=Status.CANCELLED, cancelled_at__isnull=False
)


class Registration(SiteOwnedModel):
    """One person on one slot. At most one active registration per person and slot."""

    slot = models.ForeignKey(
        "catalogue.Slot", on_delete=models.RESTRICT, related_name="registrations", verbose_name=_("slot")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.NOT_ENTERED
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.ForeignKey(
        "referentials.CancellationReason",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancellation reason"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    #: Rules a manager forced past when registering (codes of ``rules.Reason``), for the record.
    overrides = models.JSONField(_("rules forced"), default=list, blank=True)
    from_waiting_list = models.BooleanField(_("from the waiting list"), default=False)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance recorded by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "slot", "person"],
                condition=Q(status=Status.ACTIVE),
                name="registration_one_active_per_person_and_slot",
            ),
            models.CheckConstraint(condition=CANCELLED_HAS_DATE, name="registration_cancelled_has_date"),
        ]

    def __str__(self):
        return f"{self.person} → {self.slot}"

    @property
    def attended(self):
        return self.status == Status.ACTIVE and self.attendance in (Attendance.PRESENT, Attendance.REMOTE)


class GroupRegistration(SiteOwnedModel):
    """A class of a high school, registered on a slot by its referent."""

    slot = models.ForeignKey(
        "catalogue.Slot", on_delete=models.RESTRICT, related_name="group_registrations", verbose_name=_("slot")
    )
    high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.RESTRICT,
        related_name="group_registrations",
        verbose_name=_("high school"),
    )
    pupils_count = models.PositiveSmallIntegerField(_("pupils"))
    accompanying_adults = models.PositiveSmallIntegerField(_("accompanying adults"), default=1)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    class_list = models.FileField(_("class list"), upload_to="group_class_lists/", storage=private_storage, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    #: The random key of the form that registered the group: the same form sent again (a double
    #: click, a reload) registers nothing more. Empty when registered otherwise (admin, API).
    submission_key = models.CharField(_("submission key"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("group registration")
        verbose_name_plural = _("group registrations")
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(pupils_count__gte=1), name="groupregistration_has_pupils"),
            models.CheckConstraint(condition=CANCELLED_HAS_DATE, name="groupregistration_cancelled_has_date"),
            models.UniqueConstraint(
                fields=["site", "slot", "registered_by", "submission_key"],
                condition=~Q(submission_key="") & Q(status="active"),
                name="groupregistration_one_per_form",
            ),
        ]

    def __str__(self):
        return f"{self.high_school} → {self.slot} ({self.pupils_count})"


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Place offered")
    PROMOTED = "promoted", _("Registered from the waiting list")
    EXPIRED = "expired", _("Offer expired")
    SKIPPED = "skipped", _("Passed over")
    WITHDRAWN = "withdrawn", _("Left the waiting list")


#: Entries still in line: waiting, or holding an offer.
LIVE_WAITING_STATUSES = (WaitingStatus.WAITING, WaitingStatus.OFFERED)


class WaitingListEntry(SiteOwnedModel):
    """A person in line for a full slot. The line is ordered by ``joined_at`` then ``pk``.

    An entry leaves the line once: promoted (registered), offer expired, passed over
    (no longer eligible when their turn came) or withdrawn. Only the waiting-list
    services change it, under the slot's row lock.
    """

    slot = models.ForeignKey(
        "catalogue.Slot", on_delete=models.CASCADE, related_name="waiting_list", verbose_name=_("slot")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="waiting_list_entries",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    closed_at = models.DateTimeField(_("left the line"), null=True, blank=True)
    skip_reason = models.CharField(_("reason passed over"), max_length=40, blank=True)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waiting_list_entries",
        verbose_name=_("registration"),
    )

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        ordering = ["joined_at", "pk"]
        indexes = [models.Index(fields=["slot", "status", "joined_at"], name="waiting_slot_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "slot", "person"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waiting_one_live_entry_per_person_and_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="waiting_offer_has_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.person} ⏳ {self.slot}"

    @property
    def is_live(self):
        return self.status in LIVE_WAITING_STATUSES


class CourseAlert(SiteOwnedModel):
    """ "Tell me when a new slot of this course opens." Sent once, then closed."""

    course = models.ForeignKey(
        "catalogue.Course", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("course")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_alerts", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("course alert")
        verbose_name_plural = _("course alerts")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "course", "person"],
                condition=Q(notified_at__isnull=True),
                name="course_alert_one_pending_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.person} 🔔 {self.course}"


class CalendarFeed(SiteOwnedModel):
    """A person's secret iCal subscription address on a site. Revoking replaces it.

    The table holds no usable secret: the address's key is an HMAC of the row's random ``seed``
    under the deployment's ``SECRET_KEY`` (so the person's page can show it again at any time),
    and the feed is found by the SHA-256 ``digest`` of that key. A copy of the database alone
    opens no calendar. Changing ``SECRET_KEY`` changes every address (like sessions).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("person")
    )
    seed = models.CharField(_("seed"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["site", "person"], name="calendar_feed_one_per_person"),
            models.UniqueConstraint(fields=["site", "digest"], name="calendar_feed_digest_unique"),
        ]

    @staticmethod
    def key_for(seed):
        """The address's secret key for a seed (never stored)."""
        mac = hmac.new(settings.SECRET_KEY.encode(), f"immersup.calendar-feed:{seed}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    @staticmethod
    def digest_of(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def key(self):
        return self.key_for(self.seed)

    def save(self, *args, **kwargs):
        if not self.seed:
            self.seed = secrets.token_urlsafe(32)
        self.digest = self.digest_of(self.key)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.person} 📅"
