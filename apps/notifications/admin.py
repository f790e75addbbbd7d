"""The outbox, for the platform operator: what was sent, what waits, what failed (and retry).

A message's single-use links (activation, password reset, invitation...) are never shown: the
subject and body appear with them masked, even while the message is still to send."""

from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.admin_face.base import PolicyAdmin, SiteOwnedAdmin, is_operator

from . import delivery, dispatch, masking
from .models import MessageTemplate, OutgoingMessage


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(PolicyAdmin):
    list_display = ("created_at", "site", "key", "recipient", "status", "attempts", "sent_at", "next_attempt_at")
    list_filter = ("status", "key", "site")
    list_select_related = ("site",)
    search_fields = ("recipient", "subject", "key")
    date_hierarchy = "created_at"
    actions = ("retry",)
    fields = (
        "site",
        "key",
        "recipient",
        "user",
        "from_email",
        "language",
        "masked_subject",
        "masked_body",
        "secrets_masked",
        "dedup_key",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields

    @admin.display(description=_("subject"))
    def masked_subject(self, obj):
        return masking.mask(obj.subject, obj.secrets)

    @admin.display(description=_("body"))
    def masked_body(self, obj):
        return linebreaksbr(masking.mask(obj.body, obj.secrets), autoescape=True)

    def has_module_permission(self, request):
        return is_operator(request)

    def has_view_permission(self, request, obj=None):
        return is_operator(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_operator(request):
            actions.pop("retry", None)
        return actions

    @admin.action(description=_("Send the failed messages again"))
    def retry(self, request, queryset):
        dead_links = delivery.link_removed(queryset)
        count = dispatch.retry_failed(queryset)
        if count or not dead_links:
            self.message_user(
                request,
                ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        if dead_links:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was not sent again: its single-use link (activation, password reset, "
                    "invitation...) was removed when it failed. The person must ask for a new link, or be "
                    "invited again.",
                    "%(count)d messages were not sent again: their single-use link (activation, password reset, "
                    "invitation...) was removed when they failed. The people must ask for a new link, or be "
                    "invited again.",
                    dead_links,
                )
                % {"count": dead_links},
                messages.WARNING,
            )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SiteOwnedAdmin):
    """A site's own message texts, for reading and resetting (deleting one brings the default back).
    They are written in the back office, which checks them against the message's variables."""

    list_display = ("key", "language", "subject", "updated_at", "updated_by")
    list_filter = ("language",)
    search_fields = ("key", "subject", "body")
    fields = ("key", "language", "subject", "body", "updated_at", "updated_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
