"""The action log in the back office: the site's log, filtered, as the policy lets each person read it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.policy import may_read_log
from apps.audit.selectors import log_rows
from apps.backoffice.lists import list_page
from apps.staff.guard import back_office_view

from .filters import ActionLogFilter
from .tables import ActionLogTable


@back_office_view
@require_GET
def log_list(request):
    actor, site = request.actor, request.site
    if not may_read_log(actor, site):
        raise PermissionDenied
    response, filterset, table = list_page(
        request,
        key="action_log",
        queryset=log_rows(site, actor),
        filterset_class=ActionLogFilter,
        table_class=ActionLogTable,
        per_page=50,
    )
    if response is not None:
        return response
    context = {"title": _("Action log"), "filterset": filterset, "table": table}
    return render(request, "backoffice/log/list.html", context)
