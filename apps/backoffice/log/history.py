"""An object's history on its back-office page (one query): ``context.update(history_context(request, obj))``
and ``{% include "backoffice/log/_history.html" %}`` in the template."""

from urllib.parse import urlencode

from django.urls import reverse

from apps.accounts.policy import may_read_log
from apps.audit import registry
from apps.audit.selectors import history_of

from .tables import describe


def history_context(request, obj) -> dict:
    if obj is None or obj.pk is None:
        return {}
    entries = history_of(request.site, obj)
    for entry in entries:
        entry.action_name = registry.label(entry.action)
        entry.details = describe(entry.data)
    url = None
    if may_read_log(request.actor, request.site):
        query = urlencode({"object_type": obj._meta.label_lower, "object_id": obj.pk})
        url = f"{reverse('backoffice:log')}?{query}"
    return {"history": entries, "history_url": url}
