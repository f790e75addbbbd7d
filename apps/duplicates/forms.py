from django import forms
from django.utils.translation import gettext_lazy as _

NOT_DUPLICATE = "not_duplicate"
MERGE = "merge"


class ReviewForm(forms.Form):
    """The reviewer's decision on a pair: not a duplicate, or merge into one of its accounts."""

    decision = forms.ChoiceField(
        choices=[(NOT_DUPLICATE, _("Not a duplicate")), (MERGE, _("Merge"))], widget=forms.HiddenInput
    )
    keep = forms.TypedChoiceField(
        label=_("Account to keep"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Everything of the other account on this site moves to the account you keep."),
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {user.pk: user for user in candidate.people()}
        self.fields["keep"].choices = [
            (user.pk, f"{user.get_full_name()} <{user.email}>") for user in self.people.values()
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == MERGE and not cleaned.get("keep"):
            self.add_error("keep", _("Choose the account to keep."))
        return cleaned

    @property
    def kept(self):
        return self.people.get(self.cleaned_data.get("keep"))
