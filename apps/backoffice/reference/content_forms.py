"""The accompanying-document form: a real PDF, small enough."""

from django.core.files.uploadedfile import UploadedFile

from .forms import SiteBoundForm


class DocumentForm(SiteBoundForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_file(self):
        from apps.content.validators import validate_pdf

        uploaded = self.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):
            validate_pdf(uploaded)
        return uploaded
