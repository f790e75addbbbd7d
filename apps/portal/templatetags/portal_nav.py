"""``{% portal_nav as nav_roles %}``: which personal links the menu shows (no query beyond the roles')."""

from django import template

from apps.accounts.models import Role
from apps.accounts.policy import REGISTRANT_ROLES, actor_for

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    site = getattr(request, "site", None)
    if site is None or user is None or not user.is_authenticated:
        return {"registrant": False, "referent": False}
    actor = actor_for(user, site)  # cached on the user: the context processor already read it
    return {
        "registrant": bool(actor.roles & REGISTRANT_ROLES),
        "referent": Role.HIGH_SCHOOL_REFERENT in actor.roles,
    }
