"""Reading the action log, each a fixed number of queries (labels are stored on the rows)."""

from django.db.models import Q

from apps.accounts.policy import log_filter

from .models import ActionLog

HISTORY_LENGTH = 20


def log_rows(site, actor):
    """The site's log as ``actor`` may read it, newest first (a queryset, for the list page)."""
    return ActionLog.objects.filter(site=site).filter(log_filter(actor)).order_by("-created_at", "-pk")


def history_of(site, obj, *, limit=HISTORY_LENGTH):
    """The newest entries about one object (still readable once the object is deleted)."""
    return list(
        ActionLog.objects.filter(site=site, object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def _about(site, user):
    return ActionLog.objects.filter(site=site).filter(Q(actor=user) | Q(subject=user))


def entries_about(site, user, *, limit=None):
    """What a person did on a site, and what was done about them, newest first: their "my data"
    page (the latest ``limit``) and export (all)."""
    rows = _about(site, user).order_by("-created_at", "-pk")
    rows = rows.values("created_at", "action", "object_label", "actor_id", "actor_label", "subject_id", "data")
    return list(rows if limit is None else rows[:limit])


def count_about(site, user) -> int:
    return _about(site, user).count()
