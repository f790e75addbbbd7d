"""The form of a site's own text of a message, checked against the message's variables."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications import registry


class MessageTextForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 14}), strip=False)

    def __init__(self, *args, spec, language, **kwargs):
        self.spec, self.language = spec, language
        kwargs.setdefault("prefix", language)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control font-monospace")

    def _checked(self, name):
        text = self.cleaned_data[name]
        problems = registry.check_template(text, self.spec)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        text = self._checked("body")
        if not text.strip():
            raise forms.ValidationError(_("This field is required."))
        return text
