"""Purge a year of a site from the command line (operators): ``purge_year --site SLUG --year LABEL``."""

from django.core.management.base import BaseCommand, CommandError

from apps.academic_calendar.models import UniversityYear
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from apps.yearly import selectors, services
from apps.yearly.models import PurgeRun


class Command(BaseCommand):
    help = "Purge a university year of a site (archive, statistics, then deletion), or list what it would delete."

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, help="Slug of the site.")
        parser.add_argument("--year", required=True, help="Label of the university year.")
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be deleted.")

    def handle(self, *args, site, year, dry_run, **options):
        site_obj = Site.objects.filter(slug=site).first()
        if site_obj is None:
            raise CommandError(f"No site with the slug {site!r}.")
        with for_site(site_obj):
            year_obj = UniversityYear.objects.filter(site=site_obj, label=year).first()
            if year_obj is None:
                raise CommandError(f"No year {year!r} on the site {site!r}.")
            if dry_run:
                run = services.dry_run(site_obj, year_obj)
            else:
                try:
                    queued = services.request_purge(site_obj, year_obj)
                except services.PurgeRefused as refusal:
                    raise CommandError(str(refusal.message)) from refusal
                run = services.execute_purge(queued)
        for kind in selectors.PURGED_KINDS:
            self.stdout.write(f"{kind}: {run.counts.get(kind, 0)}")
        if run.status == PurgeRun.Status.FAILED:
            raise CommandError(f"The purge failed: {run.error}")
        self.stdout.write(self.style.SUCCESS(f"{'Dry run' if dry_run else 'Purge'} #{run.pk}: {run.status}"))
