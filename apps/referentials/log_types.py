"""The action types of the reference lists: each list's items created, changed (activated,
deactivated, renamed...) or deleted in the back office, named after the list's model."""

from apps.audit.registry import declare
from apps.core.log_types import row_types

from . import models

declare(
    row_types(
        models.HighSchoolLevel,
        models.PostBachelorLevel,
        models.StudentLevel,
        models.BachelorType,
        models.TechnologicalSeries,
        models.GeneralSpeciality,
        models.TrainingDomain,
        models.TrainingSubdomain,
        models.CourseType,
        models.CancellationReason,
        models.PublicType,
        models.EventType,
    )
)
