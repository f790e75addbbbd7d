"""The guard every back-office view goes through (here, with the charter it enforces).

``@back_office_view`` lets in signed-in staff of the current site (any staff role, or the
operator) whose host establishments / high schools have signed the current charter;
it sends anonymous people to sign in, refuses others with 403, and sends staff whose
establishment has not signed yet to the charter page. Views then ask
``apps.accounts.policy`` about each object they touch.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from apps.accounts.policy import actor_for

from .selectors import charter_status


def back_office_view(view=None, *, charter_exempt=False):
    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = actor_for(request.user, request.site)
            if not actor.is_staff:
                raise PermissionDenied
            if not charter_exempt and not charter_status(actor, request.site).is_satisfied:
                return redirect("staff:charter")
            request.actor = actor
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
