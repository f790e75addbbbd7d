from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.lockout import check_current_password
from apps.records.models import PupilRecord


class ConsentForm(forms.Form):
    high_school_sees_immersions = forms.BooleanField(
        label=PupilRecord._meta.get_field("consent_high_school_sees_immersions").verbose_name,
        required=False,
        help_text=_("Your high-school referent sees the immersions you register to."),
    )
    name_visible_to_registrants = forms.BooleanField(
        label=PupilRecord._meta.get_field("consent_name_visible_to_registrants").verbose_name,
        required=False,
        help_text=_("The other people registered on the same session see your name."),
    )

    @classmethod
    def for_record(cls, record, data=None):
        initial = {
            "high_school_sees_immersions": record.consent_high_school_sees_immersions,
            "name_visible_to_registrants": record.consent_name_visible_to_registrants,
        }
        return cls(data, initial=initial)


def confirmation_phrase():
    return gettext("delete my account")


class DeleteAccountForm(forms.Form):
    """Proof that the signed-in person really means it: their password, or for an account
    without a password (signed in through an identity provider) a typed phrase."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    phrase = forms.CharField(label=_("Confirmation"), required=False, max_length=100)

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.uses_password = user.has_usable_password()
        if self.uses_password:
            del self.fields["phrase"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["phrase"].required = True
            self.fields["phrase"].help_text = _("Type “%(phrase)s” to confirm.") % {"phrase": confirmation_phrase()}

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not check_current_password(self.request, self.user, password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password

    def clean_phrase(self):
        phrase = " ".join(self.cleaned_data.get("phrase", "").split())
        if phrase.casefold() != confirmation_phrase().casefold():
            raise forms.ValidationError(
                _("Type “%(phrase)s” exactly.") % {"phrase": confirmation_phrase()}, code="wrong_phrase"
            )
        return phrase
