"""One live dashboard per role: the page, and the fragment each panel polls (same selectors)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.policy import actor_for
from apps.staff.selectors import charter_status

from . import selectors

#: Panels that show back-office figures: staff whose establishment has not signed the charter see a notice.
STAFF_PANELS = frozenset({"site", "scope", "speaker", "high_school"})


def _charter_signed(actor, site, panels):
    if not STAFF_PANELS.intersection(panels):
        return True
    return charter_status(actor, site).is_satisfied


def _panel_context(name, actor, site, charter_signed):
    blocked = name in STAFF_PANELS and not charter_signed
    return {
        "name": name,
        "template": f"dashboards/panels/{name}.html",
        "blocked": blocked,
        "data": None if blocked else selectors.panel_data(name, actor, site),
    }


@never_cache
@require_GET
def dashboard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = actor_for(request.user, request.site)
    names = selectors.panels_for(actor)
    if not names:
        raise PermissionDenied
    signed = _charter_signed(actor, request.site, names)
    panels = [_panel_context(name, actor, request.site, signed) for name in names]
    return render(request, "dashboards/dashboard.html", {"panels": panels})


@never_cache
@require_GET
def panel(request, panel):
    if panel not in selectors.PANELS:
        raise Http404
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            # A poll after the session ended: send the whole page to the sign-in form.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(reverse("dashboards:home")).url
            return response
        return redirect_to_login(reverse("dashboards:home"))
    actor = actor_for(request.user, request.site)
    if panel not in selectors.panels_for(actor):
        raise PermissionDenied
    context = _panel_context(panel, actor, request.site, _charter_signed(actor, request.site, [panel]))
    return render(request, "dashboards/panel_body.html", {"panel": context})
