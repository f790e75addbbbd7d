"""Write side of attestation documents: sending (or renewing) one, and recording who read one.

Callers hold the site scope (a request does; jobs use ``for_site``). Each upload leaves its row
in the action log, and so does each download of a person's document by somebody else
(:func:`record_download`); the owner reading their own file is not logged.
"""

import logging
import os

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import log_action

from . import selectors
from .models import Attestation, attestation_upload_to
from .storage import attestation_storage
from .validators import display_name, validate_document

logger = logging.getLogger(__name__)


def _check_validity_date(attestation_type, validity_date, today):
    if validity_date is None:
        if attestation_type.requires_validity_date:
            raise ValidationError(_("Give the date until which this document is valid."), code="validity_required")
        return
    if validity_date <= today:
        raise ValidationError(_("The validity date must be in the future."), code="validity_past")


def check_upload(site, user, attestation_type, uploaded_file, validity_date=None, on=None):
    """Every check of an upload, all errors at once; returns the file's content type."""
    today = on or timezone.localdate()
    errors = {}
    content_type = None
    site_id = getattr(site, "pk", site)
    records = selectors.registrant_records(site, user)
    if (
        attestation_type is None
        or attestation_type.site_id != site_id
        or attestation_type not in selectors.applicable_types(site, records, today)
    ):
        errors[NON_FIELD_ERRORS] = [
            ValidationError(_("This document is not asked of you."), code="not_applicable"),
        ]
    try:
        content_type = validate_document(uploaded_file)
    except ValidationError as error:
        errors["file"] = error.error_list
    try:
        _check_validity_date(attestation_type, validity_date, today)
    except ValidationError as error:
        errors["validity_date"] = error.error_list
    if errors:
        raise ValidationError(errors)
    return content_type


def upload_attestation(site, user, attestation_type, uploaded_file, validity_date=None, *, on=None):
    """Store a person's document for a type, archiving the one it replaces (kept on disk).

    Raises ValidationError (a dict of field -> errors: ``file``, ``validity_date`` or
    ``__all__``) and stores nothing when the file or the date is refused, or when the
    type is not asked of this person. The file is written only after every check, and
    removed again if the database transaction fails.
    """
    content_type = check_upload(site, user, attestation_type, uploaded_file, validity_date, on)
    attestation = Attestation(
        site=site,
        user=user,
        attestation_type=attestation_type,
        original_name=display_name(getattr(uploaded_file, "name", ""), content_type),
        content_type=content_type,
        size=uploaded_file.size,
        validity_date=validity_date,
    )
    storage = attestation_storage()
    uploaded_file.seek(0)
    stored_name = storage.save(attestation_upload_to(attestation, ""), uploaded_file)
    attestation.file.name = stored_name
    try:
        with transaction.atomic():
            now = timezone.now()
            # Lock the person's current row for this type: two concurrent renewals are serialised,
            # and the conditional unique constraint guards the rest.
            previous = list(
                Attestation.objects.select_for_update()
                .filter(site=site, user=user, attestation_type=attestation_type, archived_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if previous:
                Attestation.objects.filter(pk__in=previous).update(archived_at=now)
            attestation.uploaded_at = now
            attestation.save()
            log_action(
                "attestations.attestation.replaced" if previous else "attestations.attestation.uploaded",
                site=site,
                actor=user,
                obj=attestation,
                subject=user,
                data={
                    "type": attestation_type,
                    "validity_date": validity_date,
                    "content_type": content_type,
                    "size": attestation.size,
                    **({"replaced": previous[0]} if previous else {}),
                },
            )
    except IntegrityError:
        # Another renewal of the same document won the race: nothing of this one is kept.
        storage.delete(stored_name)
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Another copy of this document was sent at the same time. Try again.")]}
        ) from None
    except BaseException:
        storage.delete(stored_name)
        raise
    logger.info(
        "attestation %s stored for user %s (type %s, %s)",
        attestation.pk,
        user.pk,
        attestation_type.pk,
        os.path.splitext(stored_name)[1],
    )
    return attestation


@transaction.atomic
def record_download(attestation, *, site, actor):
    """Log that ``actor`` downloads somebody else's document (the rights are checked by the caller).

    Returns the log entry, or None when the owner downloads their own document.
    """
    if actor.pk == attestation.user_id:
        return None
    return log_action(
        "attestations.attestation.downloaded",
        site=site,
        actor=actor,
        obj=attestation,
        subject=attestation.user,
        data={"type": attestation.attestation_type, "current": attestation.is_current},
    )
