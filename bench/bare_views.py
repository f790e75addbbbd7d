"""Bare Django views, the yardsticks of the benchmarks.

``locked_write``: what any correct registration costs at the least — the same request stack
(session, user, CSRF, site middleware), one transaction, one row lock, one write.
``cached_page``: a page read from the cache, as cheap as a cached Django page gets.
"""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET, require_POST

TABLE = "bench_counter"


@require_POST
@login_required
def locked_write(request, key):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {TABLE} WHERE id = %s FOR UPDATE", [key])  # noqa: S608
        cursor.execute(f"UPDATE {TABLE} SET n = n + 1 WHERE id = %s", [key])  # noqa: S608
    return HttpResponseRedirect("/")


@require_GET
def cached_page(request):
    key = f"bench:cached:{request.site.pk}"
    content = cache.get(key)
    if content is None:
        rows = "".join(f"<li>Domain {i}: {i * 3} courses</li>" for i in range(40))
        content = f"<!doctype html><html lang=fr><title>Offer</title><h1>Offer</h1><ul>{rows}</ul></html>"
        cache.set(key, content, 60)
    return HttpResponse(content)
