"""Download the SAML metadata of every site that gives a metadata URL, and store it.

Scheduled daily (job ``federation_metadata``): requests never fetch metadata themselves.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.federation.refresh import refresh


class Command(BaseCommand):
    help = "Download and store the SAML metadata of the sites' federations (RENATER, EduConnect)."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="Slug of one site (default: every site).")

    def handle(self, *args, site=None, **options):
        result = refresh(site, log=self.stdout.write, errors=self.stderr.write)
        if result["failures"]:
            raise CommandError(f"{result['failures']} metadata download(s) failed; the stored metadata was kept.")
