"""The back office: one namespace, one URL module per area (each owned by its own package)."""

from django.urls import path

from . import views
from .log import urls as log
from .offer import urls as offer
from .organisations import urls as organisations
from .reference import urls as reference
from .registrants import urls as registrants
from .site import urls as site
from .slots import urls as slots

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    *reference.urlpatterns,
    *organisations.urlpatterns,
    *offer.urlpatterns,
    *slots.urlpatterns,
    *registrants.urlpatterns,
    *site.urlpatterns,
    *log.urlpatterns,
]
