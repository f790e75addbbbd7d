"""Build the two demo sites (idempotent) and print their accounts."""

from django.core.management.base import BaseCommand

from apps.demo import services


class Command(BaseCommand):
    help = (
        "Create or complete the demo sites 'ImmerSup Alsace' (localhost) and 'ImmerSup Lorraine' "
        "(site2.localhost), with one account per role. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the documented password back to demo accounts that already exist.",
        )

    def handle(self, *args, **options):
        report = services.load_demo(reset_passwords=options["reset_passwords"])
        for directory in report.directories:
            self.stdout.write(directory.summary())
        for message in report.warnings:
            self.stderr.write(message, style_func=self.style.WARNING)
        for site in report.sites:
            offer = f"{site.slots_created} slots created" if site.slots_created else "slots already present, kept"
            self.stdout.write(
                self.style.SUCCESS(f"{site.name} ({site.slug}, {site.url}): ")
                + f"{site.slots} slots — {site.full} full, {site.remote} remote, {site.restricted} restricted; "
                f"{site.registrations} registrations ({offer})."
            )
            records = ", ".join(f"{number} {status}" for status, number in site.records.items()) or "none"
            charter = f"charter {site.charter}" if site.charter else "no charter"
            self.stdout.write(
                f"  Records: {records}; {site.open_duplicates} possible duplicate(s) to review; {charter}."
            )
        created = sum(report.stats.created.values())
        updated = sum(report.stats.updated.values())
        self.stdout.write(f"Rows created: {created}, rows updated: {updated}, in {report.seconds:.1f} s.")
        if options["verbosity"] >= 2:
            for name, number in sorted(report.stats.created.items()):
                self.stdout.write(f"  created {number:>5} {name}")
            for name, number in sorted(report.stats.updated.items()):
                self.stdout.write(f"  updated {number:>5} {name}")
        self.stdout.write("")
        self.stdout.write(self._table(report.accounts))
        self.stdout.write("")
        self.stdout.write("What to try (sign in at /account/login/ on the site's URL):")
        for account in report.accounts:
            if account.hint:
                self.stdout.write(f"  {account.email}: {account.hint}")

    def _table(self, accounts):
        header = ("Site", "URL", "Role", "E-mail", "Password")
        rows = [header] + [(a.site, a.url, a.role, a.email, a.password) for a in accounts]
        widths = [max(len(row[index]) for row in rows) for index in range(len(header))]
        lines = []
        for number, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)
