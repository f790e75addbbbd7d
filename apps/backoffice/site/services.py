"""Writes of the site-management pages: attestation types, the charter's versions, the sign-in methods.

Each takes the ``actor`` and the ``site`` by keyword, asks :func:`apps.accounts.policy.can`
(PermissionDenied otherwise), and writes in one transaction. A constraint the form could not
check becomes a form error (``None`` is returned), never a 500. Each write leaves its row in the
action log in that transaction (``attestations.attestationtype.*``, ``staff.charter.*``,
``federation.federationsettings.*``: a new row's values, an edit's old → new).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.policy import Action, can
from apps.audit.services import log_action
from apps.backoffice.reference.services import save_logged
from apps.federation.models import FederationSettings
from apps.staff.models import Charter


def _check(actor, action, obj, site):
    if obj.site_id != site.pk or not can(actor, action, obj, site):
        raise PermissionDenied


def _save(form, *, actor, site, hidden=()):
    instance = form.instance
    _check(actor, Action.CHANGE if instance.pk else Action.ADD, instance, site)
    try:
        with transaction.atomic():
            return save_logged(form, actor.user, site=site, hidden=hidden)
    except IntegrityError:
        form.add_error(None, _("This could not be saved: it conflicts with another row. Check the values."))
        return None


def save_attestation_type(form, *, actor, site):
    """Create or change an attestation type (its blank template checked by the model field's validator)."""
    return _save(form, actor=actor, site=site)


def save_charter(form, *, actor, site):
    """Create a charter version, or change one not published yet (a published text was signed)."""
    if form.instance.pk and form.instance.published_at is not None:
        raise ValidationError(_("A published version of the charter cannot be changed: add a new version."))
    return _save(form, actor=actor, site=site)


def publish_charter(charter, *, actor, site):
    """Publish a version: it becomes the one every host establishment and high school signs."""
    _check(actor, Action.CHANGE, charter, site)
    with transaction.atomic():
        charter = Charter.objects.select_for_update().get(site=site, pk=charter.pk)
        if charter.published_at is not None:
            raise ValidationError(_("This version is already published."))
        charter.published_at = timezone.now()
        charter.save(update_fields=["published_at"])
        facts = {"version": charter.version, "published_at": charter.published_at}
        log_action("staff.charter.published", site=site, actor=actor.user, obj=charter, data=facts)
    return charter


def sign_in_settings_for(site):
    """The site's sign-in settings (an unsaved default row when it has none yet)."""
    return FederationSettings.objects.filter(site=site).first() or FederationSettings(site=site)


def save_sign_in_settings(form, *, actor, site):
    """Save the site's sign-in methods (one row per site); the metadata documents are logged as
    changed, without their text."""
    return _save(form, actor=actor, site=site, hidden=("shibboleth_metadata_xml", "educonnect_metadata_xml"))
