"""``{% has_dashboard as nav_dashboard %}``: does the menu show the "Dashboard" link (no query beyond the roles')."""

from django import template

from apps.accounts.policy import actor_for
from apps.dashboards.selectors import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def has_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    site = getattr(request, "site", None)
    if site is None or user is None or not user.is_authenticated:
        return False
    return bool(panels_for(actor_for(user, site)))
