"""The shared admin machinery: the admin site and the base classes of every ModelAdmin.

The Django admin serves the platform operator and the master referent of the current
site (``request.site``, resolved from the Host header). Who gets in is answered by
:func:`apps.accounts.policy.may_use_admin`; Django's per-model permissions are not used
for ImmerSup models.

Site-owned rows are sealed per site three times over:

* lists and detail pages read the scoped default manager, filtered again on
  ``request.site`` (never ``_base_manager``);
* every foreign-key and many-to-many choice offers rows of the current site only (and,
  for people, only those holding a role on it), so a forged id is a form error;
* new rows get ``site = request.site`` before validation, so the per-site unique and
  check constraints answer with form errors instead of database errors.

:class:`ImmerSupAdminSite` refuses to register a site-owned model, or a site-owned
inline, without these base classes.

Every write through the admin (its form, the list's editable columns, inlines, deletions one
by one or from the list) leaves its row in the action log (``admin.object.created / changed /
deleted``, with the names of the fields changed, never their values), in the admin's
transaction: :func:`log_admin_write`. A site-owned row is logged on its site, a site on
itself, any other global row (a person, a directory entry, a schedule) on the site whose
admin was used. An admin whose saves go through a service that logs them itself overrides
``save_model`` without calling this one.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.base import ModelBase
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils.translation import gettext_lazy as _

from apps.accounts import policy
from apps.accounts.models import RoleAssignment
from apps.audit.services import log_action
from apps.core.uploads import ImageUploadField
from apps.tenancy.models import Site, SiteOwnedModel

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def current_site(request):
    return getattr(request, "site", None)


def may_use_admin(request):
    return policy.may_use_admin(request.user, current_site(request))


def is_operator(request):
    return may_use_admin(request) and bool(getattr(request.user, "is_operator", False))


def site_users(request):
    """People an admin of the current site may see or pick: those holding a role on it
    (plus the operators, when the viewer is one)."""
    site = current_site(request)
    on_site = RoleAssignment.objects.filter(site=site, user=OuterRef("pk"))
    condition = Q(Exists(on_site))
    if is_operator(request):
        condition |= Q(is_operator=True)
    return get_user_model().objects.filter(condition)


# --- Forms ----------------------------------------------------------------------------


class AdminModelForm(forms.ModelForm):
    """Validate, as far as possible, every database constraint before saving.

    Django leaves out of model validation the foreign key that ties an inline row to
    its parent, so a constraint naming it (``UniqueConstraint(fields=["site", "user",
    "role"], condition=...)``) would only be checked by the database, as a 500. When
    the parent exists, check the constraints again with that key set.
    """

    def _post_clean(self):
        super()._post_clean()
        inline_keys = [name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)]
        if not inline_keys or self._errors:
            return
        opts = self.instance._meta
        if any(getattr(self.instance, opts.get_field(name).attname) is None for name in inline_keys):
            return
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class SiteOwnedModelForm(AdminModelForm):
    """A form for a site-owned row: bound to the current site before it is validated."""

    #: Set by the admin on the (fresh, per request) form class; see SiteOwnedAdminMixin.
    current_site = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.site_id is None and self.current_site is not None:
            self.instance.site = self.current_site

    def _get_validation_exclusions(self):
        # ``site`` is not editable, hence not on the form, hence excluded by Django: put it
        # back so that the per-site unique constraints and the same-site check run.
        exclude = super()._get_validation_exclusions()
        if self.instance.site_id is not None:
            exclude.discard("site")
        return exclude


class AdminInlineFormSet(BaseInlineFormSet):
    """Inline formset refusing two new rows that the same constraint would collide on.

    Subclasses list the fields whose values must differ between rows in
    ``distinct_together``; Django already does it for unconditional unique constraints.
    """

    distinct_together = ()
    duplicate_message = _("Two rows are identical.")

    def clean(self):
        super().clean()
        if not self.distinct_together:
            return
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
                continue
            key = tuple(self.distinct_key(form, name) for name in self.distinct_together)
            if key in seen:
                raise ValidationError(self.duplicate_message)
            seen.add(key)

    def distinct_key(self, form, name):
        value = form.cleaned_data.get(name)
        return getattr(value, "pk", value)


# --- Permissions ----------------------------------------------------------------------


class PolicyAdminMixin:
    """Admin permissions from the policy module, for ModelAdmin and inlines alike.

    Everything requires :func:`policy.may_use_admin` on the current site; subclasses
    narrow writes with ``operator_only_writes`` and objects with :meth:`may_touch`.
    """

    #: Adding, changing and deleting is for operators only (global models).
    operator_only_writes = False

    def may_touch(self, request, obj, action):
        """Object-level refinement (``obj`` is the row itself, or the parent for inlines)."""
        return True

    def _allowed(self, request, action, obj):
        if not may_use_admin(request):
            return False
        if action != VIEW and self.operator_only_writes and not is_operator(request):
            return False
        return obj is None or self.may_touch(request, obj, action)

    def has_module_permission(self, request):
        return may_use_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, VIEW, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, ADD, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, DELETE, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Django 6 default, and silences its deprecation warning.
            kwargs.setdefault("assume_scheme", "https")
        if isinstance(db_field, models.ImageField):
            kwargs.setdefault("form_class", ImageUploadField)  # decoded in full, within budgets
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_field_queryset(self, db, db_field, request):
        """Choices of foreign keys and many-to-many fields: the current site's rows only."""
        model = db_field.remote_field.model
        if isinstance(model, type) and issubclass(model, SiteOwnedModel):
            queryset = super().get_field_queryset(db, db_field, request)
            if queryset is None:
                queryset = model._default_manager.using(db).all()
            return queryset.filter(site=current_site(request))
        if model is get_user_model():
            queryset = site_users(request).using(db)
            user_admin = self.admin_site._registry.get(model)
            ordering = user_admin.get_ordering(request) if user_admin else None
            return queryset.order_by(*ordering) if ordering else queryset
        return super().get_field_queryset(db, db_field, request)


def stamp_new_row(request, obj):
    """What every row created through the admin gets: its site, and who granted a role."""
    if isinstance(obj, SiteOwnedModel):
        if obj._state.adding:
            obj.site = current_site(request)
        elif obj.site_id != current_site(request).pk:
            raise PermissionDenied
    if isinstance(obj, RoleAssignment) and obj._state.adding and obj.granted_by_id is None:
        obj.granted_by = request.user


def _site_of(request, obj):
    if isinstance(obj, Site):
        return obj
    if isinstance(obj, SiteOwnedModel) or isinstance(getattr(obj, "site", None), Site):
        return obj.site
    return current_site(request)


def log_admin_write(request, obj, verb, fields=()):
    """The action-log row of an admin write (``verb``: created, changed, deleted; ``fields``: the
    names of the fields changed). Called before a deletion. A person's account changed names
    them as the person concerned."""
    site = _site_of(request, obj)
    if site is None or site.pk is None:
        return
    data = {"fields": sorted(fields)} if fields else None
    subject = obj if isinstance(obj, get_user_model()) and verb != "deleted" else None
    log_action(f"admin.object.{verb}", site=site, actor=request.user, obj=obj, subject=subject, data=data)


class CheckedChangeList(ChangeList):
    """Django's changelist, refusing an out-of-range date-hierarchy value like any invalid filter.

    Django lets ``?date__year=99999999999999999999`` (OverflowError) or ``?date__year=9999``
    (the next year is out of range: ValueError) through as a 500; the admin now answers as for
    any other bad filter (back to the list, "?e=1").
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class PolicyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Base of every ImmerSup ModelAdmin (global models use it directly)."""

    form = AdminModelForm
    list_per_page = 50
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or form.changed_data:
            log_admin_write(request, obj, "changed" if change else "created", form.changed_data)

    def delete_model(self, request, obj):
        log_admin_write(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                log_admin_write(request, obj, "deleted")
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            log_admin_write(request, obj, "deleted")
            obj.delete()
        changed = {id(inline.instance): inline.changed_data for inline in formset.forms}
        for obj in instances:
            stamp_new_row(request, obj)
            adding = obj._state.adding
            obj.save()
            log_admin_write(request, obj, "created" if adding else "changed", changed.get(id(obj), ()))
        formset.save_m2m()


class PolicyInline(PolicyAdminMixin, admin.TabularInline):
    """Base of inlines of global rows."""

    form = AdminModelForm
    formset = AdminInlineFormSet
    extra = 0


# --- Site-owned models ----------------------------------------------------------------


class SiteOwnedAdminMixin:
    """What a site-owned ModelAdmin or inline adds: the current site's rows, and forms
    bound to it."""

    form = SiteOwnedModelForm

    def get_queryset(self, request):
        # The default manager is django-scopes' ScopedManager: filtered on the scope the
        # middleware activated, and refusing to run without one. Filter on the request's
        # site again so that even a disabled scope cannot widen the admin.
        if not issubclass(self.model, SiteOwnedModel):
            raise ImproperlyConfigured(f"{type(self).__name__} is for site-owned models only.")
        return super().get_queryset(request).filter(site=current_site(request))

    def _bind(self, form_class, request):
        if not issubclass(form_class, SiteOwnedModelForm):
            raise ImproperlyConfigured(f"{type(self).__name__}.form must derive from SiteOwnedModelForm.")
        # modelform_factory builds a new class on every call: setting it here is per request.
        form_class.current_site = current_site(request)
        return form_class


class SiteOwnedAdmin(SiteOwnedAdminMixin, PolicyAdmin):
    """Base of the ModelAdmin of every site-owned model."""

    def may_touch(self, request, obj, action):
        # Rows of another site never reach the admin's pages (get_queryset); this also
        # covers rows shown in passing, such as the deletion summary of a person.
        return obj.site_id == current_site(request).pk or is_operator(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._bind(super().get_form(request, obj, change=change, **kwargs), request)

    def get_changelist_form(self, request, **kwargs):
        return self._bind(super().get_changelist_form(request, **kwargs), request)

    def save_model(self, request, obj, form, change):
        stamp_new_row(request, obj)
        super().save_model(request, obj, form, change)


class SiteOwnedInline(SiteOwnedAdminMixin, PolicyInline):
    """Base of every inline of a site-owned model."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        self._bind(formset.form, request)
        return formset


# --- The admin site -------------------------------------------------------------------


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: only for the people the admin serves on the current site.

    Someone else gets the answer a wrong password gets, so the page never tells whether
    their password was right; and the attempt counts as a failed sign-in, towards the
    lock-out every sign-in path shares (:mod:`apps.accounts.lockout`): otherwise the
    lock-out arriving late would tell it instead.
    """

    def confirm_login_allowed(self, user):
        try:
            super().confirm_login_allowed(user)  # active, and User.is_staff
            if not policy.may_use_admin(user, current_site(self.request)):
                raise self.get_invalid_login_error()
        except ValidationError:
            credentials = {"username": self.cleaned_data.get("username")}
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise self.get_invalid_login_error() from None


class ImmerSupAdminSite(admin.AdminSite):
    site_title = _("ImmerSup administration")
    site_header = _("ImmerSup administration")
    index_title = _("Administration")
    login_form = AdminLoginForm

    def has_permission(self, request):
        return may_use_admin(request)

    def each_context(self, request):
        context = super().each_context(request)
        site = current_site(request)
        if site is not None:
            context["site_header"] = _("%(site)s — administration") % {"site": site.name}
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else list(model_or_iterable)
        checked = admin_class or admin.ModelAdmin
        for model in models:
            if issubclass(model, SiteOwnedModel) and not issubclass(checked, SiteOwnedAdmin):
                raise ImproperlyConfigured(f"{model.__name__} is site-owned: register it with a SiteOwnedAdmin.")
        for inline in getattr(checked, "inlines", ()):
            if issubclass(inline.model, SiteOwnedModel) and not issubclass(inline, SiteOwnedInline):
                raise ImproperlyConfigured(f"{inline.__name__} shows site-owned rows: derive it from SiteOwnedInline.")
        super().register(models, admin_class, **options)
