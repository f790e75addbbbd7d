"""Attestation documents: what a site requires of its registrants, and what they sent.

Files live in the private storage (``PRIVATE_MEDIA_ROOT``) under random names; they have
no public URL and are served only by the rights-checking views of this app. The name
the person gave is kept for display only.
"""

import uuid

import magic
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel

from .storage import attestation_storage
from .validators import ACCEPTED_TYPES, SNIFF_BYTES, display_name, validate_document_field


def random_file_name(folder, site_id, content_type):
    extension = ACCEPTED_TYPES.get(content_type, "")
    return f"{folder}/{site_id}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def template_upload_to(instance, filename):
    return random_file_name("attestation-templates", instance.site_id, instance.template_content_type)


def attestation_upload_to(instance, filename):
    return random_file_name("attestations", instance.site_id, instance.content_type)


class AttestationType(SiteOwnedModel):
    """A document the site asks of some registrants."""

    label = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    template_file = models.FileField(
        _("blank template"),
        upload_to=template_upload_to,
        storage=attestation_storage,
        max_length=255,
        blank=True,
        validators=[validate_document_field],
        help_text=_("Optional: a blank form to download, fill in and send back (PDF, JPEG or PNG)."),
    )
    template_original_name = models.CharField(_("template file name"), max_length=255, blank=True, editable=False)
    template_content_type = models.CharField(_("template content type"), max_length=100, blank=True, editable=False)
    for_pupils_with_agreement = models.BooleanField(_("for pupils of a high school with an agreement"), default=False)
    for_pupils_without_agreement = models.BooleanField(
        _("for pupils of a high school without an agreement"),
        default=False,
        help_text=_("Including pupils of a high school chosen from the national directory."),
    )
    for_visitors = models.BooleanField(_("for visitors"), default=False)
    minors_only = models.BooleanField(
        _("minors only"), default=False, help_text=_("Asked only of people under 18, on the day of the check.")
    )
    mandatory = models.BooleanField(
        _("mandatory"), default=True, help_text=_("A mandatory document must be valid before registering.")
    )
    requires_validity_date = models.BooleanField(
        _("has a validity date"), default=False, help_text=_("The person gives the date until which it is valid.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attestation type")
        verbose_name_plural = _("attestation types")
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["site", "label"], name="attestationtype_label_unique_per_site"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        template = self.template_file
        replaced = None
        if self.pk is not None:
            replaced = type(self)._base_manager.filter(pk=self.pk).values_list("template_file", flat=True).first()
        if template and not template._committed:  # a new upload (the admin form)
            template.seek(0)
            self.template_content_type = magic.from_buffer(template.read(SNIFF_BYTES), mime=True)
            template.seek(0)
            self.template_original_name = display_name(template.name, self.template_content_type)
        elif template and (template.name != replaced or not self.template_content_type):
            # Already stored by ``template_file.save(...)``: read its type back from the storage.
            with template.storage.open(template.name, "rb") as stored:
                self.template_content_type = magic.from_buffer(stored.read(SNIFF_BYTES), mime=True)
            self.template_original_name = display_name(self.label, self.template_content_type)
        elif not template:
            self.template_original_name = self.template_content_type = ""
        super().save(*args, **kwargs)
        if replaced and replaced != self.template_file.name:
            delete_file_on_commit(replaced)


class Attestation(SiteOwnedModel):
    """One document a person sent; ``archived_at`` is set when a newer one replaced it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestations", verbose_name=_("person")
    )
    attestation_type = models.ForeignKey(
        AttestationType, on_delete=models.RESTRICT, related_name="attestations", verbose_name=_("type")
    )
    file = models.FileField(_("file"), upload_to=attestation_upload_to, storage=attestation_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("sent"), default=timezone.now)
    validity_date = models.DateField(_("valid until"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "user", "attestation_type"],
                condition=Q(archived_at__isnull=True),
                name="attestation_one_current_per_person_and_type",
            ),
        ]
        indexes = [models.Index(fields=["site", "user"], name="attestation_site_user")]

    def __str__(self):
        return f"{self.attestation_type} — {self.user}"

    @property
    def is_current(self):
        return self.archived_at is None

    def is_expired(self, on=None):
        on = on or timezone.localdate()
        return self.validity_date is not None and self.validity_date < on

    def download_name(self):
        return display_name(self.original_name, self.content_type)


def delete_file_on_commit(name):
    """Remove a stored file once the transaction that dropped it has committed."""
    if name:
        transaction.on_commit(lambda: attestation_storage().delete(name))


@receiver(post_delete, sender=Attestation)
@receiver(post_delete, sender=AttestationType)
def _remove_files(sender, instance, **kwargs):
    # Also runs for cascades (an account or a site deleted): no file outlives its row.
    delete_file_on_commit(instance.file.name if sender is Attestation else instance.template_file.name)
