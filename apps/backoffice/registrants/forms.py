"""Forms of the registrants pages: batch cancellation, person search, registration by a manager."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import FORCED_LABELS, forced_label


class CancelForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(
        label=_("Registrations"),
        coerce=int,
        error_messages={
            "required": _("Select at least one registration to cancel."),
            "invalid_choice": _("Some of the selected registrations are not active registrations of this slot."),
        },
    )
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=None,
        error_messages={"required": _("Choose a cancellation reason."), "invalid_choice": _("Unknown reason.")},
    )

    def __init__(self, *args, registration_ids, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in registration_ids]
        self.fields["reason"].queryset = reasons


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"),
        min_length=2,
        max_length=100,
        strip=True,
        help_text=_("People with a pupil, student or visitor record on this site."),
    )


class ForceForm(forms.Form):
    """The rules a manager chooses to force past, among those they have the authority to force."""

    force = forms.MultipleChoiceField(
        label=_("Rules to force"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(FORCED_LABELS.items()),
        error_messages={"invalid_choice": _("Unknown rule.")},
    )

    def __init__(self, *args, forcible=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.forcible = tuple(forcible)

    def clean_force(self):
        chosen = self.cleaned_data["force"]
        refused = [forced_label(code) for code in chosen if code not in self.forcible]
        if refused:
            raise forms.ValidationError(
                _("You may not force: %(rules)s.") % {"rules": ", ".join(str(label) for label in refused)}
            )
        return chosen

    def forcible_boxes(self):
        """The checkboxes of the rules this person may force here."""
        return [box for box in self["force"] if box.data["value"] in self.forcible]
