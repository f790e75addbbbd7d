from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.admin_face.base import SiteOwnedAdmin

from .models import Course, Event, Slot, Training

PUBLICATION = (_("Publication"), {"fields": ("published", "publication_start", "publication_end")})


@admin.register(Training)
class TrainingAdmin(SiteOwnedAdmin):
    list_display = ("label", "structure", "high_school", "is_active")
    list_filter = ("is_active", "structure", "high_school")
    list_select_related = ("structure", "high_school")
    search_fields = ("label", "structure__label", "high_school__label")
    filter_horizontal = ("subdomains",)


@admin.register(Course)
class CourseAdmin(SiteOwnedAdmin):
    list_display = ("label", "training", "owner", "published", "publication_start", "publication_end")
    list_filter = ("published", "training__structure", "training__high_school")
    list_select_related = ("training__structure", "training__high_school")
    search_fields = ("label", "training__label")
    autocomplete_fields = ("training", "speakers")
    fieldsets = ((None, {"fields": ("training", "label", "description", "url", "speakers")}), PUBLICATION)

    @admin.display(description=_("offered by"))
    def owner(self, obj):
        return obj.training.structure or obj.training.high_school


@admin.register(Event)
class EventAdmin(SiteOwnedAdmin):
    list_display = ("label", "event_type", "establishment", "structure", "high_school", "published")
    list_filter = ("published", "event_type", "establishment", "high_school")
    list_select_related = ("event_type", "establishment", "structure", "high_school")
    search_fields = ("label", "description")
    autocomplete_fields = ("speakers",)
    fieldsets = (
        (None, {"fields": ("event_type", "label", "description", "speakers")}),
        (_("Offered by"), {"fields": ("establishment", "structure", "high_school")}),
        PUBLICATION,
    )


@admin.register(Slot)
class SlotAdmin(SiteOwnedAdmin):
    list_display = ("date", "start_time", "end_time", "offer", "period", "place", "places", "taken", "published")
    list_display_links = ("date", "start_time")
    list_filter = ("period", "place", "published", "allows_group_registrations", "date")
    list_select_related = ("course", "event", "period")
    search_fields = ("course__label", "event__label", "room")
    date_hierarchy = "date"
    autocomplete_fields = ("course", "event", "speakers", "place_high_school")
    readonly_fields = ("individual_places_taken", "group_places_taken", "created_at", "updated_at")
    filter_horizontal = (
        "allowed_establishments",
        "allowed_high_schools",
        "allowed_high_school_levels",
        "allowed_post_bachelor_levels",
        "allowed_student_levels",
        "allowed_bachelor_types",
        "allowed_series",
        "allowed_specialities",
    )
    fieldsets = (
        (None, {"fields": ("course", "event", "course_type", "period", "date", "start_time", "end_time", "speakers")}),
        (
            _("Place"),
            {
                "fields": (
                    "place",
                    "campus",
                    "building",
                    "room",
                    "remote_url",
                    "outside_address",
                    "place_high_school",
                )
            },
        ),
        (
            _("Places"),
            {
                "fields": (
                    ("allows_individual_registrations", "individual_places", "individual_places_taken"),
                    ("allows_group_registrations", "group_mode", "group_places", "group_places_taken"),
                )
            },
        ),
        (
            _("Restrictions"),
            {
                "classes": ("collapse",),
                "description": _("Leave a list empty for no restriction."),
                "fields": (
                    "allowed_establishments",
                    "allowed_high_schools",
                    "allowed_high_school_levels",
                    "allowed_post_bachelor_levels",
                    "allowed_student_levels",
                    "allowed_bachelor_types",
                    "allowed_series",
                    "allowed_specialities",
                ),
            },
        ),
        (
            _("Deadlines and publication"),
            {
                "fields": (
                    "registration_deadline",
                    "cancellation_deadline",
                    "published",
                    "additional_information",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    @admin.display(description=_("course or event"))
    def offer(self, obj):
        return obj.offer_label

    @admin.display(description=_("places"), ordering="individual_places")
    def places(self, obj):
        return self._pair(obj.individual_places, obj.group_places, obj)

    @admin.display(description=_("taken"), ordering="individual_places_taken")
    def taken(self, obj):
        return self._pair(obj.individual_places_taken, obj.group_places_taken, obj)

    @staticmethod
    def _pair(individual, group, obj):
        if obj.allows_group_registrations:
            return _("%(individual)s + %(group)s (groups)") % {"individual": individual, "group": group}
        return individual
