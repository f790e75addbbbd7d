"""People and their roles on the current site.

A :class:`User` is global, so the user admin shows only the people holding a role on the
current site (plus the operators, to an operator), and a master referent may only edit
people who belong to this site alone: changing the e-mail or password of someone who
also works on another site would hand over their account there.
"""

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from apps.accounts import policy
from apps.accounts.models import Role, RoleAssignment, User

from ..base import (
    ADD,
    VIEW,
    AdminInlineFormSet,
    PolicyAdmin,
    SiteOwnedAdmin,
    SiteOwnedInline,
    current_site,
    is_operator,
    site_users,
)

OPERATOR_ONLY_FIELDS = ("is_operator", "is_superuser", "groups", "user_permissions")


def _normalised_email(form):
    return form.cleaned_data["email"].strip().lower()


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    clean_email = _normalised_email


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    clean_email = _normalised_email


class RoleAssignmentFormSet(AdminInlineFormSet):
    distinct_together = ("role", "establishment", "structure", "high_school")
    duplicate_message = _("The same role is listed twice.")


class RoleAssignmentInline(SiteOwnedInline):
    model = RoleAssignment
    fk_name = "user"
    formset = RoleAssignmentFormSet
    fields = ("role", "establishment", "structure", "high_school", "granted_by", "granted_at")
    readonly_fields = ("granted_by", "granted_at")
    autocomplete_fields = ("establishment", "structure", "high_school")
    verbose_name_plural = _("roles on this site")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("establishment", "structure", "high_school", "granted_by")

    def may_touch(self, request, obj, action):
        # ``obj`` is the person: their roles follow what may be done to them.
        return action == VIEW or self.admin_site.get_model_admin(User).has_change_permission(request, obj)


class RoleOnSiteFilter(admin.SimpleListFilter):
    title = _("role on this site")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        roles = RoleAssignment.objects.filter(site=current_site(request), user=OuterRef("pk"), role=self.value())
        return queryset.filter(Exists(roles))


@admin.register(User)
class UserAdmin(PolicyAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", *OPERATOR_ONLY_FIELDS)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "roles_on_site", "is_active", "is_operator", "last_login")
    list_filter = (RoleOnSiteFilter, "is_active", "is_operator")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("last_name", "first_name", "email")
    inlines = (RoleAssignmentInline,)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).filter(pk__in=site_users(request).values("pk"))
        if not is_operator(request):
            # The policy hides operators from everyone else: do not list what cannot be opened.
            queryset = queryset.exclude(is_operator=True).exclude(is_superuser=True)
        roles = RoleAssignment.objects.filter(site=current_site(request)).select_related(
            "establishment", "structure", "high_school"
        )
        return queryset.prefetch_related(Prefetch("role_assignments", queryset=roles, to_attr="site_roles"))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and policy.can(request.user, ADD, User(), current_site(request))

    def may_touch(self, request, obj, action):
        return policy.can(request.user, action, obj, current_site(request))

    def get_readonly_fields(self, request, obj=None):
        if is_operator(request):
            return ("last_login",)
        return (*OPERATOR_ONLY_FIELDS, "last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        if not is_operator(request) and (obj.is_operator or obj.is_superuser):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.display(description=_("roles on this site"))
    def roles_on_site(self, obj):
        labels = []
        for role in obj.site_roles:
            target = role.establishment or role.structure or role.high_school
            label = role.get_role_display()
            labels.append(f"{label} ({target})" if target else str(label))
        return ", ".join(labels)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SiteOwnedAdmin):
    list_display = ("user", "role", "establishment", "structure", "high_school", "granted_by", "granted_at")
    list_filter = ("role", "establishment", "structure", "high_school")
    list_select_related = ("user", "establishment", "structure", "high_school", "granted_by")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "establishment", "structure", "high_school")
    readonly_fields = ("granted_by", "granted_at")
    date_hierarchy = "granted_at"
