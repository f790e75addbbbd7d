"""The demo sites themselves and their host names (global rows: run under ``platform_job()``)."""

from apps.tenancy.models import Site, SiteHost

SITE_FIELDS = (
    "name",
    "tagline",
    "welcome_text",
    "footer_text",
    "primary_colour",
    "secondary_colour",
    "contact_email",
    "sender_email",
)


def ensure_site(spec, stats, warnings):
    """Create or update the site of ``spec`` and claim its host names (the first one is primary).

    A host name already claimed by another site is left to it, with a warning: the demo never
    takes a host away from a real site.
    """
    site_spec = spec["site"]
    values = {name: site_spec[name] for name in SITE_FIELDS if name in site_spec}
    values["is_active"] = True
    site = Site.objects.filter(slug=site_spec["slug"]).first()
    if site is None:
        site = Site.objects.create(slug=site_spec["slug"], **values)
        stats.count(Site, "created")
    else:
        changed = [name for name, value in values.items() if getattr(site, name) != value]
        if changed:
            for name in changed:
                setattr(site, name, values[name])
            site.save(update_fields=changed)
            stats.count(Site, "updated")
    for index, host in enumerate(site_spec["hosts"]):
        _ensure_host(site, host, primary=index == 0, stats=stats, warnings=warnings)
    return site


def _ensure_host(site, host, primary, stats, warnings):
    existing = SiteHost.objects.filter(host__iexact=host).first()
    if existing is not None and existing.site_id != site.pk:
        warnings.append(f"Host {host!r} already belongs to the site {existing.site}; left to it.")
        return
    if primary:
        # One primary host per site: demote another primary first (save() keeps the cache fresh).
        for other in SiteHost.objects.filter(site=site, is_primary=True).exclude(host__iexact=host):
            other.is_primary = False
            other.save(update_fields=["is_primary"])
    if existing is None:
        SiteHost.objects.create(site=site, host=host, is_primary=primary)
        stats.count(SiteHost, "created")
    elif existing.is_primary != primary:
        existing.is_primary = primary
        existing.save(update_fields=["is_primary"])
        stats.count(SiteHost, "updated")
