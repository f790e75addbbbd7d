"""Load (or refresh) the national directories from CSV files. Idempotent: run it at will."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.directories import services

#: Skipped lines listed in full only with --verbosity 2; otherwise the first ones.
SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = (
        "Create or update the higher-education institutions and the UAI directory from CSV files "
        "(by UAI; bad lines are reported and skipped)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--institutions",
            type=Path,
            default=services.DEFAULT_INSTITUTIONS_FILE,
            metavar="PATH",
            help="CSV of higher-education institutions (uai,label,city,department,zip_code,country). "
            "Default: %(default)s",
        )
        parser.add_argument(
            "--schools",
            type=Path,
            default=services.DEFAULT_SCHOOLS_FILE,
            metavar="PATH",
            help="CSV of the UAI directory (uai,label,city,academy). Default: %(default)s",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(self, *args, **options):
        show_progress = not options["no_progress"] and sys.stderr.isatty()
        jobs = [
            (services.import_institutions, options["institutions"]),
            (services.import_schools, options["schools"]),
        ]
        failed = False
        for importer, path in jobs:
            try:
                report = self._run(importer, path, show_progress)
            except services.DirectoryImportError as exc:
                self.stderr.write(str(exc))
                failed = True
                continue
            self.stdout.write(self.style.SUCCESS(report.summary()))
            shown = report.errors if options["verbosity"] >= 2 else report.errors[:SHOWN_ERRORS]
            for message in shown:
                self.stderr.write(f"  skipped: {message}", style_func=self.style.WARNING)
            if len(report.errors) > len(shown):
                self.stderr.write(
                    f"  ... and {len(report.errors) - len(shown)} more (use --verbosity 2).",
                    style_func=self.style.WARNING,
                )
        if failed:
            raise CommandError("Some files could not be imported.")

    def _run(self, importer, path, show_progress):
        total = services.count_records(path)
        with tqdm(
            total=total,
            desc=Path(path).name,
            unit=" rows",
            file=sys.stderr,
            disable=not show_progress,
            leave=False,
        ) as bar:
            return importer(path, progress=bar.update)
