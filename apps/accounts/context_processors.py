"""What every page's menu needs to know about the visitor (the policy's answer), in at most one query."""

from .policy import actor_for


def navigation(request):
    user = getattr(request, "user", None)
    site = getattr(request, "site", None)
    if site is None or user is None or not user.is_authenticated:
        return {"nav_is_staff": False, "nav_is_master": False}
    actor = actor_for(user, site)
    return {"nav_is_staff": actor.is_staff, "nav_is_master": actor.is_master}
