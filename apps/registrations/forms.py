"""Forms of the registrant's pages. They read and check the input; the rules live in ``rules`` / ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules


class CancelForm(forms.Form):
    """The reason a registrant gives when cancelling, among the site's reasons open to registrants.

    The choices are the current site's usable reasons: an unknown id, another site's reason
    or a reason reserved to managers is an invalid choice. A site with no reason for
    registrants cancels without one.
    """

    reason = forms.ModelChoiceField(
        queryset=None,
        label=_("Why do you cancel?"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the reason for your cancellation.")},
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.queryset = rules.usable_reasons("registrant", site)
        field.required = field.queryset.exists()
