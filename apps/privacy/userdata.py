"""Where a person's data lives, found by introspection rather than by a list to maintain.

Every model with a foreign key (or a many-to-many field) to the user model holds data
about the person; a foreign key that cascades holds data *of* the person (their
registrations, records, roles, documents), one that is set to null on deletion records
something they did (validated a record, registered a class). The export, the deletion of
an account and the merge of duplicate accounts all walk these links, so that a model
added by a later app is covered without touching them.
"""

import logging

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, models, transaction

from apps.tenancy.models import SiteOwnedModel
from apps.tenancy.scoping import platform_job

logger = logging.getLogger(__name__)


def user_links(*, site_owned=None):
    """(model, field) for every concrete foreign key or one-to-one field to the user model."""
    user_model = get_user_model()
    for model in apps.get_models():
        if site_owned is not None and issubclass(model, SiteOwnedModel) != site_owned:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model is user_model:
                yield model, field


def user_m2m_links(*, site_owned=True):
    """(model, field) for every many-to-many field to the user model (speakers of slots...)."""
    user_model = get_user_model()
    for model in apps.get_models():
        if site_owned is not None and issubclass(model, SiteOwnedModel) != site_owned:
            continue
        for field in model._meta.many_to_many:
            if field.related_model is user_model:
                yield model, field


def is_owning_link(field):
    """A cascading foreign key: the row is the person's own data and dies with them."""
    return field.remote_field.on_delete is models.CASCADE


def file_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def stored_files_deleted_with(objs):
    """(storage, name) of every stored file of the rows that deleting ``objs`` would delete.

    Follows the same cascade as the deletion itself (Django's collector), so files hanging
    off rows of rows (an archived version of a document) are found too.
    """
    objs = list(objs)
    if not objs:
        return []
    found = []
    with platform_job():
        collector = NestedObjects(using=DEFAULT_DB_ALIAS)
        collector.collect(objs)
        # NestedObjects never "fast-deletes": every row to be deleted is in ``data``.
        for model, rows in collector.data.items():
            fields = file_fields(model)
            if not fields:
                continue
            for row in rows:
                for field in fields:
                    value = getattr(row, field.attname)
                    if value:
                        found.append((field.storage, str(value)))
    return found


def delete_stored_files(files):
    """Delete files from their storage; a missing file is not an error."""
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - a disk error must not undo a committed deletion
            logger.exception("could not delete the stored file %s", name)


def delete_stored_files_on_commit(files):
    """Delete the files once the deletion of their rows is committed (a rollback keeps them)."""
    files = list(files)
    if files:
        transaction.on_commit(lambda: delete_stored_files(files))
