"""Forms of the local accounts. None of them tells whether an address has an account."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .lockout import check_current_password
from .models import User
from .services import normalise_email


class BootstrapMixin:
    """Bootstrap classes on every widget; Django adds aria-invalid and aria-describedby."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.RadioSelect):
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _email_field(label=None, autocomplete="email"):
    return forms.EmailField(
        label=label or _("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "autofocus": True}),
    )


def _password_field(label, autocomplete, help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignUpForm(BootstrapMixin, forms.Form):
    population = forms.ChoiceField(
        label=_("I am"),
        choices=[("pupil", _("a high-school pupil")), ("visitor", _("a visitor"))],
        widget=forms.RadioSelect,
    )
    email = _email_field()
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = _password_field(_("Password"), "new-password", password_validation.password_validators_help_text_html())
    password2 = _password_field(_("Password again"), "new-password", _("The same password, to avoid typing errors."))

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            person = User(
                email=data.get("email", ""), first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, person)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(BootstrapMixin, forms.Form):
    email = _email_field(autocomplete="username")
    password = _password_field(_("Password"), "current-password")

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class EmailForm(BootstrapMixin, forms.Form):
    """Only an address: new activation link, password reset."""

    email = _email_field()

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class NewPasswordForm(BootstrapMixin, SetPasswordForm):
    pass


class ChangePasswordForm(BootstrapMixin, PasswordChangeForm):
    """Django's form, with the current password checked like a sign-in (counted, lock-out shared)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not check_current_password(self.request, self.user, old_password):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class EmailChangeForm(BootstrapMixin, forms.Form):
    """A new address, and the current password when the person has one (federated people have none)."""

    new_email = _email_field(_("New e-mail address"))
    password = _password_field(_("Current password"), "current-password")

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_new_email(self):
        email = normalise_email(self.cleaned_data["new_email"])
        if email == self.user.email.lower():
            raise ValidationError(_("This is already your e-mail address."), code="same")
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not check_current_password(self.request, self.user, password):
            raise ValidationError(_("This is not your current password."), code="password_incorrect")
        return password
