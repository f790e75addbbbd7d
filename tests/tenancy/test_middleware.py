"""The site comes from the Host header; an unknown host is a clear 404, never a 500."""

from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import platform_job
from apps.tenancy.selectors import normalise_host, site_for_host


def test_host_resolves_to_its_site(world, other_world, client):
    assert site_for_host("testserver") == world.site
    assert site_for_host("BETA.localhost:8000") == other_world.site
    response = client.get("/", HTTP_HOST="beta.localhost")
    assert response.status_code == 200
    assert response.wsgi_request.site == other_world.site


def test_unknown_host_gets_a_clear_404(world, client):
    response = client.get("/", HTTP_HOST="nowhere.example.org")
    assert response.status_code == 404
    assert b"nowhere.example.org" in response.content
    response = client.get("/admin/", HTTP_HOST="nowhere.example.org")
    assert response.status_code == 404


def test_inactive_site_is_not_served(world, client):
    with platform_job():
        world.site.is_active = False
        world.site.save()
    assert client.get("/").status_code == 404


def test_host_changes_are_seen_at_once(world, other_world, client):
    assert client.get("/", HTTP_HOST="gamma.localhost").status_code == 404
    with platform_job():
        SiteHost.objects.create(site=other_world.site, host="gamma.localhost")
    assert client.get("/", HTTP_HOST="gamma.localhost").status_code == 200
    with platform_job():
        SiteHost.objects.filter(host="gamma.localhost").update(site=world.site)
        SiteHost.objects.get(host="gamma.localhost").save()
    assert client.get("/", HTTP_HOST="gamma.localhost").wsgi_request.site == world.site


def test_normalise_host():
    assert normalise_host("Example.ORG:8443") == "example.org"
    assert normalise_host("[::1]:8000") == "[::1]"
    assert normalise_host("127.0.0.1") == "127.0.0.1"


def test_public_media_is_served_but_private_files_are_not(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "public" / "sites").mkdir(parents=True)
    (tmp_path / "public" / "sites" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/media/sites/logo.png").status_code == 200
    for path in ("/media/../private/secret.pdf", "/media/%2e%2e/private/secret.pdf"):
        response = client.get(path)
        assert response.status_code in (400, 404)
        assert b"%PDF" not in response.content
