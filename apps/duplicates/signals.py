"""Run the duplicate check when a record or a person's names are saved.

Connected in :meth:`DuplicatesConfig.ready`. Records are checked on every save that can
change the match (birth date, person); people only when their first or last name changed
(their names as loaded are remembered on the instance, so a login or a password change
costs no query).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_init, post_save

from .detection import detect_for_record, detect_for_user, record_models

_NAME_FIELDS = ("first_name", "last_name")
_RECORD_FIELDS = {"birth_date", "user", "user_id"}


def _names(user):
    return tuple(user.__dict__.get(name) for name in _NAME_FIELDS)


def _record_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not (_RECORD_FIELDS & set(update_fields)):
        return
    detect_for_record(instance)


def _user_loaded(sender, instance, **kwargs):
    instance._duplicates_names = _names(instance)


def _user_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    loaded = getattr(instance, "_duplicates_names", None)
    instance._duplicates_names = _names(instance)
    if raw or created:
        return  # a new account has no record yet
    if update_fields is not None and not (set(_NAME_FIELDS) & set(update_fields)):
        return
    if loaded == instance._duplicates_names:
        return
    detect_for_user(instance)


def connect():
    user_model = get_user_model()
    for model in record_models():
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"duplicates_{model._meta.label_lower}_saved")
    post_init.connect(_user_loaded, sender=user_model, dispatch_uid="duplicates_user_loaded")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="duplicates_user_saved")
