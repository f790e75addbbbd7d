from django.shortcuts import redirect

from apps.core.backoffice import back_office_view


@back_office_view
def home(request):
    """The back office starts on the staff home page (roles, tasks, counts)."""
    return redirect("staff:home")
