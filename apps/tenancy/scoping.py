"""The only sanctioned ways to run code for a site or across sites.

``for_site(site)`` activates a site's scope (services, commands, tasks).
``platform_job()`` disables scoping explicitly, for platform-wide jobs (loading the
national directories, building demo sites, purges): grep for it to audit them.
"""

from django_scopes import scope, scopes_disabled


def for_site(site):
    if site is None:
        # django-scopes treats a None value as "no filter": never let that happen by accident.
        raise ValueError("for_site() needs a site; use platform_job() to work across sites.")
    return scope(site=site)


def platform_job():
    return scopes_disabled()
