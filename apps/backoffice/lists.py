"""One way to build a back-office list: filtered (django-filter), sorted and paginated
(django-tables2) on the server, with the person's filters kept between visits.

A view calls :func:`list_page`; when the request has no query string, the person's
saved filters for that list are restored by a redirect; when it has one, it is saved.
``?reset=1`` forgets them.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, QueryDict
from django_tables2 import RequestConfig

from .models import SavedListFilter

PAGE_SIZE = 25
#: Parameters that are not filters and are never saved.
TRANSIENT = {"page", "reset", "_"}


def _saved(request, key):
    return SavedListFilter.objects.filter(site=request.site, user=request.user, list_key=key).first()


def restore_or_save_filters(request, key):
    """A redirect to the saved filters, or None (after saving the current ones)."""
    if request.GET.get("reset"):
        SavedListFilter.objects.filter(site=request.site, user=request.user, list_key=key).delete()
        return HttpResponseRedirect(request.path)
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in TRANSIENT:
            kept.setlist(name, values)
    query_string = kept.urlencode()[:2000]
    if not request.GET:
        saved = _saved(request, key)
        if saved is not None and saved.query_string:
            return HttpResponseRedirect(f"{request.path}?{saved.query_string}")
        return None
    SavedListFilter.objects.update_or_create(
        site=request.site, user=request.user, list_key=key, defaults={"query_string": query_string}
    )
    return None


def list_page(request, *, key, queryset, filterset_class, table_class, per_page=PAGE_SIZE, table_kwargs=None):
    """(redirect or None, filterset, table) for a list page. The table is sorted and paginated."""
    redirect = restore_or_save_filters(request, key)
    if redirect is not None:
        return redirect, None, None
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset.none()
    if not filterset.is_bound:
        rows = queryset
    table = table_class(rows, **(table_kwargs or {}))
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return None, filterset, table


def query_without(request, *names):
    """The current query string without some parameters (for links that change one of them)."""
    return urlencode([(k, v) for k, values in request.GET.lists() if k not in names for v in values])
