import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.organisations.models import Establishment
from apps.referentials.models import HighSchoolLevel
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site, platform_job
from apps.tenancy.selectors import site_for_host


def test_create_site_command_makes_a_usable_site(db, client):
    call_command(
        "create_site",
        name="ImmerSup Bretagne",
        slug="bzh",
        hosts=["bzh.localhost"],
        master_code="UR",
        master_label="Université de Rennes",
    )
    with platform_job():
        site = Site.objects.get(slug="bzh")
    assert site_for_host("bzh.localhost") == site
    with for_site(site):
        assert Establishment.objects.get().is_master
        assert HighSchoolLevel.objects.exists()
    assert client.get("/", HTTP_HOST="bzh.localhost").status_code == 200


def test_create_site_refuses_taken_slugs_and_hosts(world):
    with pytest.raises(CommandError, match="slug"):
        call_command("create_site", name="X", slug="alpha", hosts=["x.localhost"], master_code="X", master_label="X")
    with pytest.raises(CommandError, match="testserver"):
        call_command("create_site", name="X", slug="x", hosts=["testserver"], master_code="X", master_label="X")
    with pytest.raises(CommandError, match="Lower-case"), translation.override("en"):
        call_command("create_site", name="X", slug="x", hosts=["Bad Host!"], master_code="X", master_label="X")
    with platform_job():
        assert not Site.objects.filter(slug="x").exists()
