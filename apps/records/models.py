"""What a registrant tells about themselves on a site, and its validation.

A person has at most one record of each kind per site. The record's status says
whether they may register: only a validated record may. The workflow (submit,
validate, reject, revalidate) lives in ``apps.records.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class RecordStatus(models.TextChoices):
    TO_COMPLETE = "to_complete", _("To complete")
    TO_VALIDATE = "to_validate", _("To validate")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    TO_REVALIDATE = "to_revalidate", _("To validate again")


#: Statuses waiting for a validator's decision.
PENDING_STATUSES = (RecordStatus.TO_VALIDATE, RecordStatus.TO_REVALIDATE)


class Record(SiteOwnedModel):
    status = models.CharField(
        _("status"), max_length=15, choices=RecordStatus.choices, default=RecordStatus.TO_COMPLETE
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="%(app_label)s_%(class)s_one_per_person_and_site"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="%(app_label)s_%(class)s_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="validated") | Q(validated_at__isnull=False),
                name="%(app_label)s_%(class)s_validation_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.user}"

    @property
    def is_validated(self):
        return self.status == RecordStatus.VALIDATED

    def age(self, on=None):
        """Age in whole years on a day (today by default); None without a birth date."""
        if self.birth_date is None:
            return None
        on = on or timezone.localdate()
        years = on.year - self.birth_date.year
        return years - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))

    def is_minor(self, on=None):
        age = self.age(on)
        return age is not None and age < 18


class PupilRecord(Record):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil_records", verbose_name=_("pupil")
    )
    high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="pupil_records",
        verbose_name=_("high school"),
        help_text=_("One of the site's partner high schools."),
    )
    school_entry = models.ForeignKey(
        "directories.SchoolDirectoryEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("high school (national directory)"),
        help_text=_("A high school that is not a partner of the site."),
    )
    level = models.ForeignKey(
        "referentials.HighSchoolLevel",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level"),
    )
    class_name = models.CharField(_("class"), max_length=40, blank=True)
    bachelor_type = models.ForeignKey(
        "referentials.BachelorType",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("baccalaureate type"),
    )
    series = models.ForeignKey(
        "referentials.TechnologicalSeries",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technological series"),
    )
    specialities = models.ManyToManyField(
        "referentials.GeneralSpeciality", blank=True, related_name="+", verbose_name=_("specialities")
    )
    post_bachelor_level = models.ForeignKey(
        "referentials.PostBachelorLevel",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post-bac level"),
    )
    has_disability = models.BooleanField(
        _("disability"),
        default=False,
        help_text=_("So that the host can prepare your visit. Shown only to those who need it."),
    )
    consent_high_school_sees_immersions = models.BooleanField(_("my high school may see my immersions"), default=False)
    consent_name_visible_to_registrants = models.BooleanField(
        _("other registrants of a slot may see my name"), default=False
    )
    identity_locked = models.BooleanField(
        _("identity from EduConnect"), default=False, help_text=_("Names and birth date come from EduConnect.")
    )

    class Meta(Record.Meta):
        verbose_name = _("pupil record")
        verbose_name_plural = _("pupil records")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            *Record.Meta.constraints,
            models.CheckConstraint(
                condition=Q(high_school__isnull=True) | Q(school_entry__isnull=True),
                name="pupilrecord_one_kind_of_school",
            ),
        ]


class StudentRecord(Record):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_records", verbose_name=_("student")
    )
    institution = models.ForeignKey(
        "directories.HigherEducationInstitution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home institution"),
    )
    level = models.ForeignKey(
        "referentials.StudentLevel",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level"),
    )
    origin_bachelor_type = models.ForeignKey(
        "referentials.BachelorType",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("baccalaureate of origin"),
    )

    class Meta(Record.Meta):
        verbose_name = _("student record")
        verbose_name_plural = _("student records")
        ordering = ["user__last_name", "user__first_name"]


class VisitorRecord(Record):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visitor_records", verbose_name=_("visitor")
    )
    visitor_type = models.ForeignKey(
        "referentials.PublicType",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visitor type"),
    )
    motivation = models.TextField(_("motivation"), blank=True)

    class Meta(Record.Meta):
        verbose_name = _("visitor record")
        verbose_name_plural = _("visitor records")
        ordering = ["user__last_name", "user__first_name"]


#: The record kinds as they appear in URLs and forms.
KIND_MODELS = {"pupil": PupilRecord, "student": StudentRecord, "visitor": VisitorRecord}
