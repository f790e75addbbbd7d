from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademicCalendarConfig(AppConfig):
    name = "apps.academic_calendar"
    label = "academic_calendar"
    verbose_name = _("Calendar")
