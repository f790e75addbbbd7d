"""The high-school referent's forms: cancelling a pupil's registration, registering a group.

The rules themselves are the rule book's (:mod:`.rules`); these forms only
check the shape of what was typed and the class list file.
"""

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import HighSchool

from . import rules
from .validators import ACCEPT, CLASS_LIST_MAX_SIZE, validate_class_list

MAX_GROUP_SIZE = 500
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_ADULTS = 50


class _BootstrapForm(forms.Form):
    """Bootstrap classes on the widgets, and ``is-invalid`` / ``aria-invalid`` on fields in error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class CancelPupilForm(_BootstrapForm):
    """The reason for cancelling, among those a registrant may give (required when there are any)."""

    reason = forms.ModelChoiceField(label=_("Reason for cancelling"), queryset=None, empty_label=None)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = rules.usable_reasons("registrant", site)
        self.fields["reason"].queryset = reasons
        if not reasons.exists():
            self.fields["reason"].required = False
            self.fields["reason"].widget = forms.HiddenInput()


class GroupForm(_BootstrapForm):
    high_school = forms.ModelChoiceField(label=_("High school"), queryset=None, empty_label=None)
    pupils_count = forms.IntegerField(label=_("Number of pupils"), min_value=1, max_value=MAX_GROUP_SIZE)
    accompanying_adults = forms.IntegerField(
        label=_("Accompanying adults"), min_value=0, max_value=MAX_ADULTS, initial=1
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    class_list = forms.FileField(
        label=_("Class list"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    #: A random key per form shown: the same form sent twice registers one group (see groups.py).
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, high_schools, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = secrets.token_urlsafe(24)
        high_schools = list(high_schools)
        #: With one high school there is nothing to choose (the page names it).
        self.only_high_school = high_schools[0] if len(high_schools) == 1 else None
        if self.only_high_school is not None:
            del self.fields["high_school"]
        else:
            self.fields["high_school"].queryset = HighSchool.objects.filter(
                pk__in=[h.pk for h in high_schools]
            ).order_by("label")
        self.fields["class_list"].help_text = _("PDF, text or CSV, XLSX, ODS or XLS, %(limit)s at most.") % {
            "limit": filesizeformat(CLASS_LIST_MAX_SIZE)
        }
        self.content_type = None

    def clean_submission_key(self):
        # A form sent without its key (or with a forged one) still registers, without the repeat check.
        key = self.cleaned_data.get("submission_key") or ""
        return key if SUBMISSION_KEY.fullmatch(key) else ""

    def clean_class_list(self):
        uploaded = self.cleaned_data.get("class_list")
        if not uploaded:
            return None
        try:
            self.content_type = validate_class_list(uploaded)
        except ValidationError as error:
            raise ValidationError(error.messages, code=error.code) from None
        return uploaded

    def chosen_high_school(self):
        return self.only_high_school or self.cleaned_data["high_school"]

    def details(self):
        """The group fields for :func:`.groups.register_group` (the class list is added by the view)."""
        data = self.cleaned_data
        return {
            "accompanying_adults": data["accompanying_adults"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "contact_phone": data.get("contact_phone") or "",
            "comment": data.get("comment") or "",
        }

    def submission(self):
        return self.cleaned_data.get("submission_key") or ""
