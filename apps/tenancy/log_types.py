"""The action types of a site itself: its settings and branding, as its master referent changes them."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare({"tenancy.site.changed": _("Site settings changed")})
