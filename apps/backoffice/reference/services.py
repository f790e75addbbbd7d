"""Writes of the master referent's pages: each in one transaction, database refusals turned
into messages (never a 500)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.academic_calendar.models import UniversityYear


class InUse(Exception):
    """The row is used elsewhere and cannot be deleted; ``uses`` names where."""

    def __init__(self, uses):
        super().__init__(", ".join(str(use) for use in uses))
        self.uses = uses


def uses_of(obj):
    """Verbose names of the models whose rows point at ``obj`` and would prevent (or be
    silently changed by) its deletion: RESTRICT / PROTECT foreign keys and many-to-many links.

    A many-to-many link counts as a use: deleting a level a slot is restricted to would
    silently open the slot to everybody.
    """
    uses = []
    for relation in obj._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        field = getattr(relation, "field", None)
        if field is None:
            continue
        if relation.many_to_many:
            used = field.model._base_manager.filter(**{field.name: obj.pk}).exists()
        elif relation.one_to_many and relation.on_delete in (models.RESTRICT, models.PROTECT):
            used = relation.related_model._base_manager.filter(**{field.name: obj.pk}).exists()
        else:
            continue
        if used:
            uses.append(capfirst(field.model._meta.verbose_name_plural))
    return uses


@transaction.atomic
def delete_row(obj):
    """Delete ``obj``, or raise InUse (nothing changed)."""
    uses = uses_of(obj)
    if uses:
        raise InUse(uses)
    try:
        with transaction.atomic():
            obj.delete()
    except (RestrictedError, ProtectedError) as error:
        blocked = {capfirst(o._meta.verbose_name_plural) for o in getattr(error, "restricted_objects", ())} | {
            capfirst(o._meta.verbose_name_plural) for o in getattr(error, "protected_objects", ())
        }
        raise InUse(sorted(blocked) or [_("other records")]) from error


def set_flag(obj, flag, value):
    """Activate / deactivate (or publish / unpublish) a row."""
    setattr(obj, flag, bool(value))
    obj.save(update_fields=[flag])


def save_form(form):
    """Save a valid ModelForm; a constraint the form could not check becomes a form error."""
    try:
        with transaction.atomic():
            return form.save()
    except (IntegrityError, ValidationError) as error:
        form.add_error(None, _("This could not be saved: it conflicts with another row. Check the values."))
        if isinstance(error, ValidationError):
            form.add_error(None, error)
        return None


def save_year(form, *, make_current):
    """Save a university year; making it current un-sets the previous current year, atomically."""
    try:
        with transaction.atomic():
            year = form.save(commit=False)
            if make_current:
                UniversityYear.objects.filter(site=year.site, is_active=True).exclude(pk=year.pk).update(
                    is_active=False
                )
            year.is_active = bool(make_current)
            year.save()
            return year
    except IntegrityError:
        form.add_error(None, _("This could not be saved: it conflicts with another row. Check the values."))
        return None
