"""The action log: one row per change, written by the service that makes it.

A row names the site, who acted (and, under support access, who acted as them), what was done
(a dotted action type declared in an app's ``log_types.py``), on what (type, id and a readable
label kept when the object is gone), what changed (``data``: old → new for edited fields,
never a secret or a sensitive value), when, from which IP address (staff acting on others'
data only) and whom it concerns (``subject``: the registrant, for their "my data" and for the
purge). ``establishment_id`` / ``high_school_id`` record the owner of the object at the time,
so that an establishment's referents read the history of their own objects.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class ActionLog(SiteOwnedModel):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor's name"), max_length=200, blank=True)
    acting_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
        help_text=_("The person whose session was used, under support access."),
    )
    acting_as_label = models.CharField(_("name of the person acted for"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    subject_label = models.CharField(_("name of the person concerned"), max_length=200, blank=True)
    establishment_id = models.IntegerField(_("establishment"), null=True, blank=True)
    high_school_id = models.IntegerField(_("high school"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    pseudonymised = models.BooleanField(_("pseudonymised"), default=False)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["site", "-created_at"], name="audit_site_time"),
            models.Index(fields=["site", "object_type", "object_id"], name="audit_site_object"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time"),
            models.Index(fields=["subject", "-created_at"], name="audit_subject_time"),
            models.Index(fields=["acting_as"], name="audit_acting_as"),
            models.Index(fields=["site", "establishment_id"], name="audit_site_establishment"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"
