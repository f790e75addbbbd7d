"""Forms of the master referent's pages.

Every form over a site-owned row is bound to the current site (and to its parent row,
when the view knows it) BEFORE validation, so that the per-site unique constraints and
the check constraints answer with form errors rather than database errors.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from apps.content.models import AccompanyingDocument
from apps.content.validators import validate_pdf
from apps.referentials.models import CancellationReason

CHECKBOX = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
SELECTS = (forms.Select, forms.SelectMultiple)


def style_widgets(form):
    """Bootstrap classes on every widget."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, CHECKBOX):
            css = "form-check-input"
        elif isinstance(widget, SELECTS):
            css = "form-select"
        elif isinstance(widget, forms.TextInput) and widget.input_type == "color":
            css = "form-control form-control-color"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledFormMixin:
    """Bootstrap widgets, and each field's errors tied to it (aria-describedby)."""

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                auto_id = self[name].auto_id
                described = [f"{auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class SiteBoundForm(StyledFormMixin, forms.ModelForm):
    """A form over a site-owned row, bound to ``site`` (and ``parents``) before validation."""

    def __init__(self, *args, site, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.site_id is None:
            self.instance.site = site
        self._bound_names = {"site"}
        for name, value in (parents or {}).items():
            setattr(self.instance, name, value)
            self._bound_names.add(name)
        style_widgets(self)

    def _get_validation_exclusions(self):
        # ``site`` (not editable) and the parent keys are not form fields, so Django leaves them
        # out of model validation: put them back so that the constraints naming them are checked.
        exclude = super()._get_validation_exclusions()
        return exclude - self._bound_names


class CancellationReasonForm(SiteBoundForm):
    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("usable_by_registrants", "usable_by_managers", "usable_by_system")):
            self.add_error("usable_by_registrants", _("Choose at least one kind of person who may use this reason."))
        return data


class DocumentForm(SiteBoundForm):
    """The accompanying-document form: a real PDF, small enough."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):
            validate_pdf(uploaded)
        return uploaded


TEXTAREA = forms.Textarea(attrs={"rows": 4})
BODY = forms.Textarea(attrs={"rows": 14})

FORM_BASES = {CancellationReason: CancellationReasonForm, AccompanyingDocument: DocumentForm}


def form_for(kind):
    """The ModelForm class of a registry kind (see registry.py)."""
    base = FORM_BASES.get(kind.model)
    widgets = {}
    for name in kind.fields:
        if name in ("body", "answer"):
            widgets[name] = BODY
        elif name == "description":
            widgets[name] = TEXTAREA
        elif name == "file":
            # Not ClearableFileInput: it links the stored file, and private files have no URL.
            widgets[name] = forms.FileInput
    return modelform_factory(kind.model, form=base or SiteBoundForm, fields=kind.fields, widgets=widgets)
