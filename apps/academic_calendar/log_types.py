"""The action types of the calendar: university years (made current or not), periods, public
holidays and vacations created, changed or deleted in the back office."""

from apps.audit.registry import declare
from apps.core.log_types import row_types

from .models import Holiday, Period, UniversityYear, Vacation

declare(row_types(UniversityYear, Period, Holiday, Vacation))
