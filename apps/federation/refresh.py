"""Refreshing the SAML metadata the sites store: downloaded from each site's metadata URL (https
only, size-bounded), kept only when it describes identity providers. Requests never fetch
metadata themselves: the daily job ``federation_metadata`` and ``manage.py
refresh_federation_metadata`` run :func:`refresh`."""

import urllib.request

from apps.tenancy.scoping import platform_job

from .metadata import entity_ids_in
from .models import FederationSettings

SOURCES = (
    ("shibboleth_metadata_url", "shibboleth_metadata_xml"),
    ("educonnect_metadata_url", "educonnect_metadata_xml"),
)
MAX_BYTES = 200 * 1024 * 1024
TIMEOUT = 60


def fetch(url):
    if not url.startswith("https://"):
        raise ValueError("metadata URLs must use https")
    with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - https only, checked above
        return answer.read(MAX_BYTES + 1).decode("utf-8")


def refresh(site=None, log=lambda line: None, errors=lambda line: None) -> dict:
    """Download and store every (or one) site's federation metadata. Returns the counts.

    A failed download keeps the stored metadata; it is reported through ``errors`` and counted.
    Used by ``manage.py refresh_federation_metadata`` and by the scheduled job ``federation_metadata``.
    """
    updated = failures = 0
    with platform_job():
        rows = FederationSettings.objects.select_related("site")
        if site:
            rows = rows.filter(site__slug=site)
        for row in rows:
            changed = []
            for url_field, xml_field in SOURCES:
                url = getattr(row, url_field)
                if not url:
                    continue
                try:
                    xml = fetch(url)
                    if len(xml) > MAX_BYTES or not entity_ids_in(xml):
                        raise ValueError("no identity provider in this document")
                except (OSError, ValueError) as error:
                    failures += 1
                    errors(f"{row.site.slug}: {url}: {error}")
                    continue
                if getattr(row, xml_field) != xml:
                    setattr(row, xml_field, xml)
                    changed.append(xml_field)
            if changed:
                updated += 1
                row.save(update_fields=[*changed, "updated_at"])
                log(f"{row.site.slug}: updated {', '.join(changed)}")
    return {"updated": updated, "failures": failures}
