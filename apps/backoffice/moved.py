"""The staff pages' old addresses, each answering a permanent redirect to its place under /back-office/.

Links in e-mails already sent (record validation, invitations, dashboards...) and bookmarks keep
working: the rest of the path and the query string are kept. One row per moved prefix, the most
specific first; a row with an ``index`` sends the bare old prefix there.
"""

from dataclasses import dataclass

from django.http import HttpResponsePermanentRedirect
from django.urls import re_path
from django.utils.encoding import escape_uri_path


@dataclass(frozen=True)
class Moved:
    old: str  # without the leading slash, ends with "/"
    new: str  # the new prefix, absolute, ends with "/"
    index: str = ""  # where the bare old prefix goes, when it is not ``new``


MOVED = (
    Moved("staff/", "/back-office/staff/", index="/back-office/"),
    Moved("dashboard/", "/back-office/dashboard/"),
    Moved("statistics/", "/back-office/statistics/"),
    Moved("duplicates/", "/back-office/duplicates/"),
    Moved("record/validation/", "/back-office/records/validation/"),
    Moved("my-immersions/pupils/", "/back-office/high-school/pupils/"),
    Moved("my-immersions/groups/", "/back-office/high-school/groups/"),
)


def moved(request, rest, row):
    target = row.index if row.index and not rest else row.new + escape_uri_path(rest)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def new_address(path):
    """Where an old staff address now lives (``None`` when it did not move): for tests and tools."""
    for row in MOVED:
        old = "/" + row.old
        if path.startswith(old):
            rest = path.removeprefix(old)
            return row.index if row.index and not rest else row.new + rest
    return None


urlpatterns = [re_path(rf"^{row.old}(?P<rest>.*)\Z", moved, {"row": row}) for row in MOVED]
