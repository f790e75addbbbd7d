from django.shortcuts import render

from apps.staff.guard import back_office_view
from apps.staff.selectors import home_summary

from .navigation import staff_navigation


@back_office_view
def home(request):
    """The staff face's home: one's roles, then the navigation grouped by task (``staff:home`` too)."""
    summary = home_summary(request.actor, request.site)
    context = {"summary": summary, "actor": request.actor, "groups": staff_navigation(request.actor, summary)}
    return render(request, "backoffice/home.html", context)
