"""Expire overdue waiting-list offers and give free places to the people in line (every site)."""

from django.core.management.base import BaseCommand, CommandError

from apps.registrations.services import process_waiting_lists
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site, platform_job


class Command(BaseCommand):
    help = "Expire overdue waiting-list offers and offer or give free places to the next people in line."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="Slug of one site (default: every site).")

    def handle(self, *args, site=None, **options):
        with platform_job():
            sites = list(Site.objects.order_by("pk"))
        if site is not None:
            sites = [s for s in sites if s.slug == site]
            if not sites:
                raise CommandError(f"No site with the slug {site!r}.")
        total = 0
        for each in sites:
            with for_site(each):
                served = process_waiting_lists()
            total += served
            if served:
                self.stdout.write(f"{each.slug}: {served} waiting-list place(s) offered or given.")
        self.stdout.write(self.style.SUCCESS(f"{total} waiting-list place(s) offered or given."))
