from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from apps.sites.services import create_site
from apps.tenancy.models import Site, SiteHost
from apps.tenancy.scoping import platform_job


class Command(BaseCommand):
    help = "Create a site with its host names, its master establishment and its reference lists."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--host", action="append", required=True, dest="hosts", help="Repeat for each host name.")
        parser.add_argument("--master-code", required=True, help="Short name of the master establishment.")
        parser.add_argument("--master-label", required=True, help="Name of the master establishment.")
        parser.add_argument("--master-uai", default="")

    def handle(self, *args, **options):
        hosts = [h.strip().lower() for h in options["hosts"]]
        with platform_job():
            if Site.objects.filter(slug=options["slug"]).exists():
                raise CommandError(f"A site with the slug {options['slug']!r} already exists.")
            taken = SiteHost.objects.filter(host__in=hosts).values_list("host", flat=True)
            if taken:
                raise CommandError(f"Host names already used by another site: {', '.join(taken)}")
            for host in hosts:
                try:
                    SiteHost._meta.get_field("host").run_validators(host)
                except ValidationError as error:
                    raise CommandError(f"{host}: {' '.join(error.messages)}") from error
            try:
                site = create_site(
                    name=options["name"],
                    slug=options["slug"],
                    hosts=hosts,
                    master_code=options["master_code"],
                    master_label=options["master_label"],
                    master_uai=options["master_uai"],
                )
            except (IntegrityError, ValidationError) as error:
                raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Site {site.name} created, served on {', '.join(hosts)}."))
