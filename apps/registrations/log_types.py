"""The action types of the registration engine: registrations, waiting lists, groups, attendance,
course alerts and calendar feeds (each row concerns the registrant as its subject)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "registrations.registration.created": _("Registration created"),
        "registrations.registration.cancelled": _("Registration cancelled"),
        "registrations.waiting_list.joined": _("Waiting list joined"),
        "registrations.waiting_list.left": _("Waiting list left"),
        "registrations.waiting_list.offered": _("Place offered from the waiting list"),
        "registrations.waiting_list.claimed": _("Waiting-list offer claimed"),
        "registrations.waiting_list.declined": _("Waiting-list offer declined"),
        "registrations.waiting_list.expired": _("Waiting-list offer expired"),
        "registrations.waiting_list.passed_over": _("Passed over on the waiting list"),
        "registrations.waiting_list.promoted": _("Registered from the waiting list"),
        "registrations.group.created": _("Group registration created"),
        "registrations.group.cancelled": _("Group registration cancelled"),
        "registrations.attendance.recorded": _("Attendance recorded"),
        "registrations.course_alert.created": _("Course alert subscribed"),
        "registrations.course_alert.deleted": _("Course alert removed"),
        "registrations.calendar_feed.created": _("Calendar feed created"),
        "registrations.calendar_feed.revoked": _("Calendar feed address replaced"),
        "registrations.certificate.downloaded": _("Attendance certificate downloaded by somebody else"),
        "registrations.class_list.downloaded": _("Class list downloaded"),
    }
)
