"""Writes of the master referent's pages: each in one transaction, database refusals turned
into messages (never a 500).

Each write leaves its row in the action log, in its transaction, named after the row's model
(``referentials.highschoollevel.created``, ``academic_calendar.period.changed``,
``content.publicpage.deleted``, ``tenancy.site.changed``...; declared by each app's
``log_types.py``), with ``by`` the person acting: what a new row holds, an edit's fields
old → new, a deletion the row's name (logged before it goes).
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.academic_calendar.models import UniversityYear
from apps.audit.services import changes, log_action, snapshot


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


def _log(verb, obj, by, data=None, *, site=None):
    site = site if site is not None else obj.site
    log_action(f"{obj._meta.label_lower}.{verb}", site=site, actor=by, obj=obj, data=data)


def _fields(form):
    """The model fields a form edits: (plain fields, many-to-many lists)."""
    opts = form.instance._meta
    plain, lists = [], []
    for name in form.fields:
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            lists.append(name)
        elif field.concrete:
            plain.append(name)
    return plain, lists


def _stored(obj, fields, lists):
    """The values of ``fields`` (and the ids of ``lists``) as stored: the form has already put the
    new ones on ``obj``."""
    if obj._state.adding or obj.pk is None:
        return None
    row = type(obj)._base_manager.filter(pk=obj.pk).values(*[obj._meta.get_field(n).attname for n in fields]).first()
    if row is None:
        return None
    values = {name: row[obj._meta.get_field(name).attname] for name in fields}
    values.update({name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in lists})
    return values


def _plain(values):
    """Stored files by their name (a private file has no URL for the log to ask)."""
    return {name: value.name if isinstance(value, FieldFile) else value for name, value in values.items()}


def save_logged(form, by, *, site=None, extra=(), hidden=()):
    """``form.save()`` (in the caller's transaction) and its row in the log: a new row's values,
    or an edit's old → new (many-to-many lists by their ids). ``extra``: fields the service sets
    besides the form's; ``hidden``: fields logged as changed without their values (long texts)."""
    plain, lists = _fields(form)
    fields = [*plain, *extra]
    before = _stored(form.instance, fields, lists)
    saved = form.save()
    after = _plain(snapshot(saved, [*fields, *lists]))
    if before is None:
        _log("created", saved, by, {k: v for k, v in after.items() if k not in hidden}, site=site)
    else:
        data = changes(before, after, [*fields, *lists], hidden=hidden)
        if data:
            _log("changed", saved, by, data, site=site)
    return saved


@transaction.atomic
def delete_row(obj, *, by=None, site=None):
    """Delete ``obj``, or raise InUse (nothing changed)."""
    uses = uses_of(obj)
    if uses:
        raise InUse(uses)
    try:
        with transaction.atomic():
            _log("deleted", obj, by, site=site)
            obj.delete()
    except (RestrictedError, ProtectedError) as error:
        blocked = {capfirst(o._meta.verbose_name_plural) for o in getattr(error, "restricted_objects", ())} | {
            capfirst(o._meta.verbose_name_plural) for o in getattr(error, "protected_objects", ())
        }
        raise InUse(sorted(blocked) or [_("other records")]) from error


@transaction.atomic
def set_flag(obj, flag, value, *, by=None, site=None):
    """Activate / deactivate (or publish / unpublish) a row."""
    old, new = getattr(obj, flag), bool(value)
    setattr(obj, flag, new)
    obj.save(update_fields=[flag])
    if old != new:
        _log("changed", obj, by, {"changed": {flag: [old, new]}}, site=site)


def save_form(form, *, by=None, site=None):
    """Save a valid ModelForm; a constraint the form could not check becomes a form error."""
    try:
        with transaction.atomic():
            return save_logged(form, by, site=site)
    except (IntegrityError, ValidationError) as error:
        form.add_error(None, _("This could not be saved: it conflicts with another row. Check the values."))
        if isinstance(error, ValidationError):
            form.add_error(None, error)
        return None


def save_year(form, *, make_current, by=None):
    """Save a university year; making it current un-sets the previous current year, atomically."""
    try:
        with transaction.atomic():
            year = form.instance
            if make_current:
                previous = list(UniversityYear.objects.filter(site=year.site, is_active=True).exclude(pk=year.pk))
                UniversityYear.objects.filter(pk__in=[p.pk for p in previous]).update(is_active=False)
                for other in previous:
                    _log("changed", other, by, {"changed": {"is_active": [True, False]}}, site=year.site)
            year.is_active = bool(make_current)
            return save_logged(form, by, site=year.site, extra=("is_active",))
    except IntegrityError:
        form.add_error(None, _("This could not be saved: it conflicts with another row. Check the values."))
        return None


def save_site_settings(form, *, by):
    """Save the site's settings and branding (a valid form over a fresh copy of the site); the log
    row gives each setting changed, old → new."""
    with transaction.atomic():
        return save_logged(form, by, site=form.instance)
