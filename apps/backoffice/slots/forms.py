"""Forms of the slot pages. Every choice offered is a row of the current site within the person's scope."""

import datetime as dt
import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.academic_calendar.models import Period
from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.policy import Action, offer_filter, owner_of
from apps.catalogue.models import Course, Event, Slot
from apps.organisations.models import Building, Campus, Establishment, HighSchool
from apps.referentials import models as ref
from apps.registrations.slot_services import M2M_FIELDS

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
MAX_DATES = 100

RESTRICTION_QUERYSETS = {
    "allowed_establishments": lambda: Establishment.objects.filter(is_active=True),
    "allowed_high_schools": lambda: HighSchool.objects.filter(is_active=True),
    "allowed_high_school_levels": lambda: ref.HighSchoolLevel.objects.filter(is_active=True),
    "allowed_post_bachelor_levels": lambda: ref.PostBachelorLevel.objects.filter(is_active=True),
    "allowed_student_levels": lambda: ref.StudentLevel.objects.filter(is_active=True),
    "allowed_bachelor_types": lambda: ref.BachelorType.objects.filter(is_active=True),
    "allowed_series": lambda: ref.TechnologicalSeries.objects.filter(is_active=True),
    "allowed_specialities": lambda: ref.GeneralSpeciality.objects.filter(is_active=True),
}


def scope_establishments(actor):
    """The establishments whose offer the actor manages (None: every establishment of the site)."""
    if actor.is_master:
        return None
    structures = {actor.structure_establishments[s] for s in actor.managed_structures}
    return set(actor.managed_establishments) | structures


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def _restriction_field(name, initial_ids=()):
    queryset = RESTRICTION_QUERYSETS[name]()
    if initial_ids:
        queryset = queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=initial_ids))
    return forms.ModelMultipleChoiceField(
        queryset=queryset, required=False, label=Slot._meta.get_field(name).verbose_name.capitalize()
    )


def _formfield(field, **kwargs):
    """Related fields start empty (site-owned managers refuse to query at import); __init__ fills them."""
    if field.is_relation:
        kwargs["queryset"] = field.related_model._default_manager.none()
    if field.name == "remote_url":
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class SlotForm(forms.ModelForm):
    notify = forms.BooleanField(
        label=_("Notify the registrants of this change"),
        required=False,
        help_text=_("They receive an e-mail when the date, the times or the place change."),
    )

    class Meta:
        model = Slot
        formfield_callback = _formfield
        fields = [
            "course",
            "event",
            "course_type",
            "period",
            "date",
            "start_time",
            "end_time",
            "place",
            "campus",
            "building",
            "room",
            "remote_url",
            "outside_address",
            "place_high_school",
            "speakers",
            "allows_individual_registrations",
            "individual_places",
            "allows_group_registrations",
            "group_mode",
            "group_places",
            *Slot.RESTRICTION_FIELDS,
            "registration_deadline",
            "cancellation_deadline",
            "published",
            "additional_information",
        ]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "registration_deadline": DATETIME,
            "cancellation_deadline": DATETIME,
            "place": forms.RadioSelect,
            "additional_information": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        instance = self.instance
        editing = instance.pk is not None
        if not editing:
            del self.fields["notify"]
        courses = Course.objects.filter(offer_filter(actor, Course, Action.CHANGE))
        events = Event.objects.filter(offer_filter(actor, Event, Action.CHANGE))
        self.fields["course"].queryset = courses.select_related("training").order_by("label")
        self.fields["event"].queryset = events.order_by("label")
        self.fields["period"].queryset = Period.objects.select_related("year").order_by("immersion_start")
        establishments = scope_establishments(actor)
        campuses = Campus.objects.filter(is_active=True)
        if establishments is not None:
            campuses = campuses.filter(establishment__in=establishments)
        keep = [instance.campus_id] if instance.campus_id else []
        self.fields["campus"].queryset = Campus.objects.filter(Q(pk__in=campuses.values("pk")) | Q(pk__in=keep))
        self.fields["building"].queryset = Building.objects.filter(
            Q(campus__in=campuses.values("pk")) | Q(pk__in=[instance.building_id] if instance.building_id else [])
        ).select_related("campus")
        today = timezone.localdate()
        partners = Q(agreement_start__lte=today) & (Q(agreement_end__isnull=True) | Q(agreement_end__gte=today))
        partners |= Q(pk__in=actor.host_high_schools)
        if instance.place_high_school_id:
            partners |= Q(pk=instance.place_high_school_id)
        self.fields["place_high_school"].queryset = HighSchool.objects.filter(partners)
        self.fields["speakers"].queryset = self._speaker_choices(courses, events, establishments)
        self.fields["course_type"].queryset = ref.CourseType.objects.filter(
            Q(is_active=True) | Q(pk=instance.course_type_id or 0)
        )
        for name in Slot.RESTRICTION_FIELDS:
            current = [o.pk for o in getattr(instance, name).all()] if editing else []
            self.fields[name] = _restriction_field(name, current)
        self.fields["speakers"].required = False
        _style(self)
        self.fields["place"].widget.attrs["class"] = "form-check-input"

    def _speaker_choices(self, courses, events, establishments):
        roles = RoleAssignment.objects.filter(role=Role.SPEAKER)
        if establishments is not None:
            roles = roles.filter(Q(establishment__in=establishments) | Q(high_school__in=self.actor.host_high_schools))
        q = Q(pk__in=roles.values("user_id"))
        q |= Q(pk__in=Course.speakers.through.objects.filter(course__in=courses.values("pk")).values("user_id"))
        q |= Q(pk__in=Event.speakers.through.objects.filter(event__in=events.values("pk")).values("user_id"))
        if self.instance.pk:
            q |= Q(pk__in=Slot.speakers.through.objects.filter(slot_id=self.instance.pk).values("user_id"))
        return User.objects.filter(q).order_by("last_name", "first_name")

    def clean(self):
        data = super().clean()
        course, event = data.get("course"), data.get("event")
        if bool(course) == bool(event):
            self.add_error("course", _("Choose either a course or an event (one of them)."))
            return data
        place = data.get("place")
        required = {
            Slot.Place.ON_SITE: "campus",
            Slot.Place.REMOTE: "remote_url",
            Slot.Place.HIGH_SCHOOL: "place_high_school",
            Slot.Place.OUTSIDE: "outside_address",
        }
        needed = required.get(place)
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(needed, _("This field is required for this kind of place."))
        # Fields of the other kinds of place are emptied, so that what is stored matches what is shown.
        blanks = {"campus": None, "building": None, "room": "", "remote_url": "", "outside_address": ""}
        blanks["place_high_school"] = None
        keep = {
            Slot.Place.ON_SITE: {"campus", "building", "room"},
            Slot.Place.REMOTE: {"remote_url"},
            Slot.Place.HIGH_SCHOOL: {"place_high_school", "room"},
            Slot.Place.OUTSIDE: {"outside_address"},
        }.get(place, set())
        for name, blank in blanks.items():
            if name not in keep:
                data[name] = blank
        if data.get("allows_individual_registrations") and not data.get("individual_places"):
            self.add_error("individual_places", _("Give the number of places for individual registrations."))
        if data.get("allows_group_registrations") and not data.get("group_places"):
            self.add_error("group_places", _("Give the number of places for groups."))
        if not data.get("allows_individual_registrations") and not data.get("allows_group_registrations"):
            self.add_error("allows_individual_registrations", _("Allow individual or group registrations (or both)."))
        self._clean_speakers(course or event, data.get("speakers") or [])
        return data

    def _clean_speakers(self, parent, speakers):
        if not speakers:
            return
        owner = owner_of(parent)
        roles = RoleAssignment.objects.filter(role=Role.SPEAKER).filter(
            Q(establishment_id=owner.establishment_id or 0) | Q(high_school_id=owner.high_school_id or 0)
        )
        allowed = set(roles.values_list("user_id", flat=True)) | set(parent.speakers.values_list("pk", flat=True))
        if any(s.pk not in allowed for s in speakers):
            self.add_error("speakers", _("Choose speakers of this course or event, or of its establishment."))

    def changes(self):
        """{field: value} of the slot's own fields, for the services."""
        return {n: self.cleaned_data[n] for n in self.Meta.fields if n not in M2M_FIELDS}

    def m2m(self):
        return {n: self.cleaned_data[n] for n in M2M_FIELDS}


class DuplicateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The slot must end after it starts."))
        return data


WEEKDAYS = [
    ("", _("—")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class RepeatForm(forms.Form):
    dates = forms.CharField(
        label=_("Dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        help_text=_("One date per line (DD/MM/YYYY or YYYY-MM-DD)."),
    )
    weekday = forms.TypedChoiceField(
        label=_("And every"), choices=WEEKDAYS, coerce=int, empty_value=None, required=False
    )
    every_from = forms.DateField(label=_("from"), required=False, widget=DATE)
    every_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_dates(self):
        found = []
        for token in re.split(r"[\s,;]+", self.cleaned_data["dates"].strip()):
            if not token:
                continue
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    found.append(dt.datetime.strptime(token, fmt).date())
                    break
                except ValueError:
                    continue
            else:
                raise forms.ValidationError(_("“%(value)s” is not a date (DD/MM/YYYY)."), params={"value": token})
        return found

    def clean(self):
        data = super().clean()
        dates = list(data.get("dates") or [])
        weekday, start, end = data.get("weekday"), data.get("every_from"), data.get("every_to")
        if weekday is not None:
            if not (start and end) or end < start:
                self.add_error("every_to", _("Give the first and last day, in order."))
                return data
            day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
            while day <= end:
                dates.append(day)
                day += dt.timedelta(days=7)
        dates = sorted(set(dates))
        if not dates and not self.errors:
            self.add_error("dates", _("Give at least one date."))
        if len(dates) > MAX_DATES:
            self.add_error("dates", _("At most %(max)s dates at once.") % {"max": MAX_DATES})
        data["all_dates"] = dates
        return data


PUBLICATION = [("", _("Unchanged")), ("publish", _("Publish")), ("unpublish", _("Unpublish"))]


class BulkForm(forms.Form):
    publication = forms.ChoiceField(label=_("Publication"), choices=PUBLICATION, required=False)
    individual_places = forms.IntegerField(label=_("Individual places"), min_value=0, required=False)
    group_places = forms.IntegerField(label=_("Group places"), min_value=0, required=False)
    registration_deadline = forms.DateTimeField(label=_("Registrations close"), required=False, widget=DATETIME)
    cancellation_deadline = forms.DateTimeField(label=_("Cancellations close"), required=False, widget=DATETIME)
    reset_deadlines = forms.BooleanField(label=_("Use the period's deadline policy"), required=False)
    replace_restrictions = forms.BooleanField(
        label=_("Replace the restrictions with the ones below"),
        required=False,
        help_text=_("Leave a list empty for no restriction of that kind."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Slot.RESTRICTION_FIELDS:
            self.fields[name] = _restriction_field(name)
        _style(self)

    def changes(self):
        data, changes = self.cleaned_data, {}
        if data["publication"]:
            changes["published"] = data["publication"] == "publish"
        for name in ("individual_places", "group_places", "registration_deadline", "cancellation_deadline"):
            if data[name] is not None:
                changes[name] = data[name]
        if data["reset_deadlines"]:
            changes["registration_deadline"] = changes["cancellation_deadline"] = None
        return changes

    def m2m(self):
        if not self.cleaned_data["replace_restrictions"]:
            return None
        return {name: self.cleaned_data[name] for name in Slot.RESTRICTION_FIELDS}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=255,
        help_text=_("Sent to every registrant and group contact."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
