from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from apps.backoffice.views import home as back_office_home
from apps.core.views import public_media


def two_faces(namespace, *mounts):
    """One URL namespace whose pages live under two prefixes: the registrant's and the staff face's.

    Names stay in ``namespace`` (``reverse("records:pending")`` keeps working) while the staff
    pages move under /back-office/; the modules included here declare no ``app_name``.
    """
    return include(([path(prefix, include(module)) for prefix, module in mounts], namespace))


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The staff pages' old addresses: a permanent redirect to their place under /back-office/.
    path("", include("apps.backoffice.moved")),
    path("account/", include("apps.accounts.urls")),
    path("sign-in/", include("apps.federation.urls")),
    path("documents/", include("apps.attestations.urls")),
    path("my-data/", include("apps.privacy.urls")),
    path(
        "",
        two_faces(
            "records", ("record/", "apps.records.urls"), ("back-office/records/", "apps.backoffice.records.urls")
        ),
    ),
    path(
        "",
        two_faces(
            "registrations",
            ("my-immersions/", "apps.registrations.urls"),
            ("back-office/high-school/", "apps.registrations.staff_urls"),
        ),
    ),
    # Every staff page lives under /back-office/ (the home, then one prefix per area).
    # The back office's home (``staff:home``, also ``backoffice:home``), then the staff pages.
    path(
        "back-office/",
        include(([path("", back_office_home, name="home"), path("", include("apps.staff.urls"))], "staff")),
    ),
    path("back-office/dashboard/", include("apps.dashboards.urls")),
    path("back-office/statistics/", include("apps.statistics.urls")),
    path("back-office/duplicates/", include("apps.duplicates.urls")),
    path("back-office/messages/", include(("apps.backoffice.message_editor.urls", "notifications"))),
    path("back-office/year-end/", include("apps.yearly.urls")),
    path("back-office/", include("apps.backoffice.urls")),
    path("", include("apps.content.urls")),
    path("", include("apps.portal.urls")),
]

if settings.SERVE_PUBLIC_MEDIA:
    # Public uploads only (site and establishment logos); private files never live under MEDIA_ROOT.
    # A reverse proxy in front may serve /media/ itself and turn this off (SERVE_PUBLIC_MEDIA=false).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", public_media),
    ]
