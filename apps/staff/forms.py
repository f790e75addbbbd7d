"""Forms of the staff pages. Every choice is limited to what the signed-in person may grant."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ROLE_SCOPE, Role, RoleAssignment

from . import services
from .selectors import grant_options


class BootstrapMixin:
    """Bootstrap classes on every widget (errors are tied to fields by Django's aria-describedby)."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class StructureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} — {obj.establishment.label}"


def role_scopes():
    """For the page's script: which scope fields each role takes."""
    scopes = {}
    for role, scope in ROLE_SCOPE.items():
        scopes[str(role)] = list(scope) if isinstance(scope, tuple) else ([scope] if scope else [])
    return scopes


class InviteForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role to grant"))
    establishment = forms.ModelChoiceField(
        label=_("Establishment"),
        queryset=None,
        required=False,
        help_text=_("For an establishment referent, the legal department, or a speaker of an establishment."),
    )
    structure = StructureChoiceField(
        label=_("Structure"),
        queryset=None,
        required=False,
        help_text=_("For a structure referent or a structure consultant."),
    )
    high_school = forms.ModelChoiceField(
        label=_("High school"),
        queryset=None,
        required=False,
        help_text=_("For a high-school referent, or a speaker of a high school hosting post-bac trainings."),
    )
    method = forms.ChoiceField(
        label=_("How will they sign in?"),
        choices=services.InvitationMethod.choices,
        initial=services.InvitationMethod.LOCAL,
        widget=forms.RadioSelect,
        help_text=_("A person who already has an account simply receives the role, and an e-mail telling them."),
    )

    def __init__(self, *args, actor, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.site = site
        options = grant_options(actor, site)
        labels = dict(Role.choices)
        self.fields["role"].choices = [("", "---------")] + [(r, labels[r]) for r in options.roles]
        self.fields["establishment"].queryset = options.establishments
        self.fields["structure"].queryset = options.structures
        self.fields["high_school"].queryset = options.high_schools
        for name in ("establishment", "structure", "high_school"):
            if name not in options.scope_fields:
                del self.fields[name]
        self._style()

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("role"):
            return data
        scope = {name: data.get(name) for name in ("establishment", "structure", "high_school")}
        assignment = RoleAssignment(site=self.site, role=data["role"], **scope)
        try:
            services.check_grant(self.actor, self.site, assignment)
        except ValidationError as error:
            self.add_error(None, error.messages)
        except PermissionDenied:
            self.add_error(None, _("You may not grant this role there."))
        return data

    @property
    def scope(self):
        return {
            name: self.cleaned_data.get(name)
            for name in ("establishment", "structure", "high_school")
            if self.cleaned_data.get(name) is not None
        }


class AcceptInvitationForm(BootstrapMixin, SetPasswordForm):
    """Choose a password (Django's validators: length, common passwords, likeness to the identity)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PeopleFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or e-mail address."))
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [("", _("All roles"))] + [(r, labels[r]) for r in roles]
        self._style()
