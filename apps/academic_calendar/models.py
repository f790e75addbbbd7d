"""The university year, its periods, holidays and vacations."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class UniversityYear(SiteOwnedModel):
    label = models.CharField(_("label"), max_length=50, help_text=_("For example 2026-2027."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    accounts_open_date = models.DateField(
        _("accounts open on"), help_text=_("From this day, people can sign up and sign in for the first time.")
    )
    purge_date = models.DateField(_("purge date"), null=True, blank=True)
    is_active = models.BooleanField(_("current year"), default=False)

    class Meta:
        verbose_name = _("university year")
        verbose_name_plural = _("university years")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["site", "label"], name="year_label_unique_per_site"),
            models.UniqueConstraint(fields=["site"], condition=Q(is_active=True), name="year_one_active_per_site"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="year_dates_ordered"),
            models.CheckConstraint(
                condition=Q(accounts_open_date__lte=F("end_date")), name="year_accounts_open_before_end"
            ),
            models.CheckConstraint(
                condition=Q(purge_date__isnull=True) | Q(purge_date__gte=F("end_date")),
                name="year_purge_after_end",
            ),
        ]

    def __str__(self):
        return self.label

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


class Period(SiteOwnedModel):
    """A slice of the year with its own registration window, immersion window and quota."""

    class DeadlinePolicy(models.TextChoices):
        PERIOD = "period", _("Registrations close with the period's registration window")
        SLOT = "slot", _("Each slot closes a number of hours before it starts")

    year = models.ForeignKey(UniversityYear, on_delete=models.CASCADE, related_name="periods", verbose_name=_("year"))
    label = models.CharField(_("label"), max_length=100)
    registration_start = models.DateTimeField(_("registrations open"))
    registration_end = models.DateTimeField(_("registrations close"))
    immersion_start = models.DateField(_("first immersion day"))
    immersion_end = models.DateField(_("last immersion day"))
    quota_per_person = models.PositiveSmallIntegerField(_("registrations allowed per person"), default=4)
    deadline_policy = models.CharField(
        _("deadline policy"), max_length=10, choices=DeadlinePolicy.choices, default=DeadlinePolicy.SLOT
    )
    registration_hours_before = models.PositiveSmallIntegerField(
        _("registrations close (hours before the slot)"), default=24
    )
    cancellation_hours_before = models.PositiveSmallIntegerField(
        _("cancellations close (hours before the slot)"), default=24
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["immersion_start"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year", "label"], name="period_label_unique_per_year"),
            models.CheckConstraint(
                condition=Q(registration_end__gt=F("registration_start")), name="period_registration_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(immersion_end__gte=F("immersion_start")), name="period_immersion_window_ordered"
            ),
            models.CheckConstraint(condition=Q(quota_per_person__gte=1), name="period_quota_positive"),
        ]

    def __str__(self):
        return self.label


class Holiday(SiteOwnedModel):
    year = models.ForeignKey(UniversityYear, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("year"))
    label = models.CharField(_("label"), max_length=100)
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="holiday_date_unique_per_site")]

    def __str__(self):
        return f"{self.label} ({self.date:%d/%m/%Y})"


class Vacation(SiteOwnedModel):
    year = models.ForeignKey(UniversityYear, on_delete=models.CASCADE, related_name="vacations", verbose_name=_("year"))
    label = models.CharField(_("label"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("vacation")
        verbose_name_plural = _("vacations")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year", "label"], name="vacation_label_unique_per_year"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="vacation_dates_ordered"),
        ]

    def __str__(self):
        return self.label
