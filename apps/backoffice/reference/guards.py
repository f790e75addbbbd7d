"""The guard of every page of this area: a back-office page for the master referent (or the
operator). Other staff get 403, registrants 403, anonymous people the sign-in page."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from apps.staff.guard import back_office_view


def master_view(view):
    @back_office_view
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.actor.is_master:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
