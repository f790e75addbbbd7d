from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from apps.core.views import public_media

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/", include("apps.accounts.urls")),
    path("sign-in/", include("apps.federation.urls")),
    path("record/", include("apps.records.urls")),
    path("documents/", include("apps.attestations.urls")),
    path("duplicates/", include("apps.duplicates.urls")),
    path("my-data/", include("apps.privacy.urls")),
    path("staff/", include("apps.staff.urls")),
    path("back-office/messages/", include("apps.notifications.urls")),
    path("back-office/year-end/", include("apps.yearly.urls")),
    path("back-office/", include("apps.backoffice.urls")),
    path("my-immersions/", include("apps.registrations.urls")),
    path("dashboard/", include("apps.dashboards.urls")),
    path("statistics/", include("apps.statistics.urls")),
    path("", include("apps.content.urls")),
    path("", include("apps.portal.urls")),
]

if settings.SERVE_PUBLIC_MEDIA:
    # Public uploads only (site and establishment logos); private files never live under MEDIA_ROOT.
    # A reverse proxy in front may serve /media/ itself and turn this off (SERVE_PUBLIC_MEDIA=false).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", public_media),
    ]
