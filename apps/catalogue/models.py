"""The offer: trainings, courses, events and the slots people register to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Owner
from apps.tenancy.models import SiteOwnedModel

ONE_OWNER = Q(structure__isnull=False, high_school__isnull=True) | Q(structure__isnull=True, high_school__isnull=False)


class PublicationWindow(models.Model):
    published = models.BooleanField(_("published"), default=False)
    publication_start = models.DateField(_("published from"), null=True, blank=True)
    publication_end = models.DateField(_("published until"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(publication_start__isnull=True)
                | Q(publication_end__isnull=True)
                | Q(publication_end__gte=F("publication_start")),
                name="%(app_label)s_%(class)s_publication_window_ordered",
            ),
        ]

    def is_visible_on(self, day):
        return (
            self.published
            and (self.publication_start is None or self.publication_start <= day)
            and (self.publication_end is None or day <= self.publication_end)
        )


class Training(SiteOwnedModel):
    """A degree or programme, offered by a structure or by a host high school."""

    label = models.CharField(_("name"), max_length=255)
    structure = models.ForeignKey(
        "organisations.Structure",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("structure"),
    )
    high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("host high school"),
    )
    subdomains = models.ManyToManyField(
        "referentials.TrainingSubdomain", related_name="trainings", verbose_name=_("subdomains")
    )
    url = models.URLField(_("web page"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="training_one_owner"),
            models.UniqueConstraint(
                fields=["site", "structure", "label"],
                condition=Q(structure__isnull=False),
                name="training_label_unique_per_structure",
            ),
            models.UniqueConstraint(
                fields=["site", "high_school", "label"],
                condition=Q(high_school__isnull=False),
                name="training_label_unique_per_high_school",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def owner(self) -> Owner:
        if self.structure_id:
            return Owner(self.structure.establishment_id, self.structure_id, None)
        return Owner(None, None, self.high_school_id)


class Course(SiteOwnedModel, PublicationWindow):
    training = models.ForeignKey(
        Training, on_delete=models.RESTRICT, related_name="courses", verbose_name=_("training")
    )
    label = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="courses_taught", verbose_name=_("speakers")
    )

    class Meta(PublicationWindow.Meta):
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["label"]
        constraints = [
            *PublicationWindow.Meta.constraints,
            models.UniqueConstraint(fields=["site", "training", "label"], name="course_label_unique_per_training"),
        ]

    def __str__(self):
        return self.label

    @property
    def owner(self) -> Owner:
        return self.training.owner


class Event(SiteOwnedModel, PublicationWindow):
    """An immersion other than a course: open day, lab visit, visit in a high school..."""

    event_type = models.ForeignKey(
        "referentials.EventType", on_delete=models.RESTRICT, related_name="events", verbose_name=_("type")
    )
    label = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    establishment = models.ForeignKey(
        "organisations.Establishment",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("establishment"),
    )
    structure = models.ForeignKey(
        "organisations.Structure",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("structure"),
    )
    high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("host high school"),
    )
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="events_hosted", verbose_name=_("speakers")
    )

    class Meta(PublicationWindow.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["label"]
        constraints = [
            *PublicationWindow.Meta.constraints,
            models.CheckConstraint(
                condition=Q(establishment__isnull=False, high_school__isnull=True)
                | Q(establishment__isnull=True, structure__isnull=True, high_school__isnull=False),
                name="event_one_owner",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def owner(self) -> Owner:
        return Owner(self.establishment_id, self.structure_id, self.high_school_id)

    def clean(self):
        super().clean()
        if self.structure_id and self.establishment_id and self.structure.establishment_id != self.establishment_id:
            raise ValidationError({"structure": _("This structure belongs to another establishment.")})


class Slot(SiteOwnedModel):
    """A dated occurrence of a course or an event, with its places and rules."""

    class Place(models.TextChoices):
        ON_SITE = "on_site", _("Face-to-face")
        REMOTE = "remote", _("Remote")
        HIGH_SCHOOL = "high_school", _("At a high school")
        OUTSIDE = "outside", _("Elsewhere")

    class GroupMode(models.TextChoices):
        ONE_GROUP = "one_group", _("One group takes the whole slot")
        BY_PLACES = "by_places", _("Groups share the places")

    #: The eligibility restrictions: many-to-many lists, an empty list meaning "no restriction"
    #: (the rules read them in :func:`apps.registrations.rules.restriction_problems`).
    RESTRICTION_FIELDS = (
        "allowed_establishments",
        "allowed_high_schools",
        "allowed_high_school_levels",
        "allowed_post_bachelor_levels",
        "allowed_student_levels",
        "allowed_bachelor_types",
        "allowed_series",
        "allowed_specialities",
    )

    course = models.ForeignKey(
        Course, on_delete=models.RESTRICT, null=True, blank=True, related_name="slots", verbose_name=_("course")
    )
    event = models.ForeignKey(
        Event, on_delete=models.RESTRICT, null=True, blank=True, related_name="slots", verbose_name=_("event")
    )
    course_type = models.ForeignKey(
        "referentials.CourseType",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("course type"),
    )
    period = models.ForeignKey(
        "academic_calendar.Period", on_delete=models.RESTRICT, related_name="slots", verbose_name=_("period")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    # Where
    place = models.CharField(_("place"), max_length=12, choices=Place.choices, default=Place.ON_SITE)
    campus = models.ForeignKey(
        "organisations.Campus",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("campus"),
    )
    building = models.ForeignKey(
        "organisations.Building",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("building"),
    )
    room = models.CharField(_("room"), max_length=120, blank=True)
    remote_url = models.URLField(_("remote link"), blank=True)
    outside_address = models.CharField(_("address"), max_length=255, blank=True)
    place_high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("high school visited"),
    )
    # Who
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="slots_taught", verbose_name=_("speakers")
    )
    # Places
    allows_individual_registrations = models.BooleanField(_("individual registrations"), default=True)
    individual_places = models.PositiveIntegerField(_("individual places"), default=0)
    individual_places_taken = models.PositiveIntegerField(_("individual places taken"), default=0, editable=False)
    allows_group_registrations = models.BooleanField(_("group registrations"), default=False)
    group_mode = models.CharField(
        _("group mode"), max_length=10, choices=GroupMode.choices, default=GroupMode.BY_PLACES
    )
    group_places = models.PositiveIntegerField(_("group places"), default=0)
    group_places_taken = models.PositiveIntegerField(_("group places taken"), default=0, editable=False)
    # Restrictions: an empty list means "no restriction".
    allowed_establishments = models.ManyToManyField(
        "organisations.Establishment", blank=True, related_name="+", verbose_name=_("reserved for establishments")
    )
    allowed_high_schools = models.ManyToManyField(
        "organisations.HighSchool", blank=True, related_name="+", verbose_name=_("reserved for high schools")
    )
    allowed_high_school_levels = models.ManyToManyField(
        "referentials.HighSchoolLevel", blank=True, related_name="+", verbose_name=_("high-school levels")
    )
    allowed_post_bachelor_levels = models.ManyToManyField(
        "referentials.PostBachelorLevel", blank=True, related_name="+", verbose_name=_("post-bac levels")
    )
    allowed_student_levels = models.ManyToManyField(
        "referentials.StudentLevel", blank=True, related_name="+", verbose_name=_("student levels")
    )
    allowed_bachelor_types = models.ManyToManyField(
        "referentials.BachelorType", blank=True, related_name="+", verbose_name=_("baccalaureate types")
    )
    allowed_series = models.ManyToManyField(
        "referentials.TechnologicalSeries", blank=True, related_name="+", verbose_name=_("technological series")
    )
    allowed_specialities = models.ManyToManyField(
        "referentials.GeneralSpeciality", blank=True, related_name="+", verbose_name=_("general specialities")
    )
    # Deadlines: empty means "from the period's policy".
    registration_deadline = models.DateTimeField(_("registrations close"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(_("cancellations close"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancellation_reason = models.CharField(_("reason for cancellation"), max_length=255, blank=True, editable=False)
    additional_information = models.TextField(_("additional information"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["site", "date"], name="slot_site_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, event__isnull=True) | Q(course__isnull=True, event__isnull=False),
                name="slot_course_xor_event",
            ),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="slot_times_ordered"),
            models.CheckConstraint(
                condition=Q(individual_places_taken__lte=F("individual_places")), name="slot_individual_capacity"
            ),
            models.CheckConstraint(condition=Q(group_places_taken__lte=F("group_places")), name="slot_group_capacity"),
            models.CheckConstraint(
                condition=~Q(place="on_site") | Q(campus__isnull=False), name="slot_on_site_has_campus"
            ),
            models.CheckConstraint(condition=~Q(place="remote") | ~Q(remote_url=""), name="slot_remote_has_link"),
            models.CheckConstraint(
                condition=~Q(place="high_school") | Q(place_high_school__isnull=False),
                name="slot_high_school_place_has_high_school",
            ),
            models.CheckConstraint(
                condition=~Q(place="outside") | ~Q(outside_address=""), name="slot_outside_has_address"
            ),
        ]

    def __str__(self):
        return f"{self.offer_label} — {self.date:%d/%m/%Y} {self.start_time:%H:%M}"

    @property
    def offer_label(self):
        return self.course.label if self.course_id else self.event.label

    @property
    def owner(self) -> Owner:
        if self.course_id is not None or getattr(self, "course", None) is not None:
            return self.course.owner
        return self.event.owner

    @property
    def individual_places_left(self):
        return max(self.individual_places - self.individual_places_taken, 0)

    def clean(self):
        super().clean()
        errors = {}
        if self.building_id and self.campus_id and self.building.campus_id != self.campus_id:
            errors["building"] = _("This building is on another campus.")
        if (
            self.campus_id
            and (self.course_id or self.event_id)
            and self.owner.establishment_id != self.campus.establishment_id
        ):
            errors["campus"] = _("This campus belongs to another establishment.")
        if self.course_id and self.course_type_id is None:
            errors["course_type"] = _("A course slot needs a course type.")
        if errors:
            raise ValidationError(errors)
