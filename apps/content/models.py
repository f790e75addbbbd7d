"""The public texts of a site: fixed pages, the FAQ and the accompanying documents.

Rich text (page bodies, FAQ answers) is sanitised on every save (see :mod:`.sanitize`), so
templates may print it as safe HTML. Documents are PDF files kept in the private storage
under random names and served by a view that shows published ones only.
"""

import contextlib
import os
import uuid

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.core.storage import PrivateStorage
from apps.tenancy.models import SiteOwnedModel

from .sanitize import sanitize_html
from .validators import validate_pdf_field


def document_storage():
    return PrivateStorage()


def document_upload_to(instance, filename):
    return f"public-documents/{instance.site_id}/{uuid.uuid4().hex}.pdf"


class PublicPage(SiteOwnedModel):
    class Slug(models.TextChoices):
        PROCEDURE = "procedure", _("Procedure")
        LEGAL_NOTICES = "legal-notices", _("Legal notices")
        ACCESSIBILITY = "accessibility", _("Accessibility")
        PRIVACY = "privacy", _("Privacy")
        FAQ = "faq", _("Frequently asked questions")

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "HTML. Kept: paragraphs, line breaks, bold, italics, lists, links, headings (h2, h3) and "
            "quotations; everything else is removed on save."
        ),
    )
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="publicpage_slug_unique_per_site")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class FaqEntry(SiteOwnedModel):
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(
        _("answer"), help_text=_("HTML, reduced on save to paragraphs, emphasis, lists, links and quotations.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["site", "question"], name="faqentry_question_unique_per_site")]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer = sanitize_html(self.answer)
        super().save(*args, **kwargs)


class AccompanyingDocument(SiteOwnedModel):
    class Audience(models.TextChoices):
        PUPILS = "pupils", _("Pupils")
        HIGH_SCHOOL_STAFF = "high_school_staff", _("High-school staff")
        HIGHER_EDUCATION_STAFF = "higher_education_staff", _("Higher-education staff")
        EVERYONE = "everyone", _("Everyone")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices, default=Audience.EVERYONE)
    file = models.FileField(
        _("file (PDF)"),
        upload_to=document_upload_to,
        storage=document_storage,
        max_length=255,
        validators=[validate_pdf_field],
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("accompanying document")
        verbose_name_plural = _("accompanying documents")
        ordering = ["audience", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["site", "title"], name="accompanyingdocument_title_unique_per_site")
        ]

    def __str__(self):
        return self.title

    def download_name(self):
        stem = slugify(os.path.splitext(self.original_name)[0] or self.title) or "document"
        return f"{stem[:100]}.pdf"

    def save(self, *args, **kwargs):
        replaced = None
        if self.pk is not None:
            replaced = type(self)._base_manager.filter(pk=self.pk).values_list("file", flat=True).first()
        if self.file and not self.file._committed:
            self.original_name = os.path.basename(str(self.file.name))[:255]
            self.size = self.file.size
        elif self.file and not self.size:
            with contextlib.suppress(OSError):  # not stored (yet): the size stays unknown
                self.size = self.file.size
        super().save(*args, **kwargs)
        if replaced and replaced != self.file.name:
            delete_file_on_commit(replaced)


def delete_file_on_commit(name):
    """Remove a stored file once the transaction that dropped it has committed."""
    if name:
        transaction.on_commit(lambda: document_storage().delete(name))


@receiver(post_delete, sender=AccompanyingDocument)
def _remove_file(sender, instance, **kwargs):
    delete_file_on_commit(instance.file.name)
