"""Creating a site is one transaction that leaves it usable: the site, its host names, its master
establishment and (by default) its reference lists."""

from django.db import transaction

from apps.organisations.models import Establishment
from apps.referentials.services import seed_reference_data as seed
from apps.tenancy.models import Site, SiteHost
from apps.tenancy.scoping import for_site


@transaction.atomic
def create_site(*, name, slug, hosts, master_code, master_label, master_uai="", seed_reference_data=True):
    """Create a site, its host names, its master establishment and (by default) its reference lists.

    A site is never left without a master establishment: both are created together.
    """
    site = Site.objects.create(name=name, slug=slug)
    for index, host in enumerate(hosts):
        SiteHost.objects.create(site=site, host=host, is_primary=index == 0)
    with for_site(site):
        Establishment.objects.create(site=site, is_master=True, code=master_code, label=master_label, uai=master_uai)
        if seed_reference_data:
            seed(site)
    return site
