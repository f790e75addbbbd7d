"""The only sanctioned ways to run code for a site or across sites.

``for_site(site)`` activates a site's scope (services, commands, tasks).
``platform_job()`` disables scoping explicitly, for platform-wide jobs (loading the
national directories, building demo sites, purges): grep for it to audit them.
"""

from django_scopes import scope, scopes_disabled


def for_site(site):
    return scope(site=site)


def platform_job():
    return scopes_disabled()
