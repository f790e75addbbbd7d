from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmPurgeForm(forms.Form):
    """Type the year's label to confirm: a purge cannot be undone."""

    label = forms.CharField(label=_("Year label"), max_length=50)

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["label"].help_text = _("Type %(label)s to confirm.") % {"label": year.label}

    def clean_label(self):
        value = self.cleaned_data["label"].strip()
        if value != self.year.label:
            raise forms.ValidationError(_("This is not the label of the year to purge."))
        return value
