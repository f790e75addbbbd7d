"""Registrations: who comes to which slot. The rules live in the services module."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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

    class Meta:
        verbose_name = _("group registration")
        verbose_name_plural = _("group registrations")
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(pupils_count__gte=1), name="groupregistration_has_pupils"),
            models.CheckConstraint(condition=CANCELLED_HAS_DATE, name="groupregistration_cancelled_has_date"),
        ]

    def __str__(self):
        return f"{self.high_school} → {self.slot} ({self.pupils_count})"
