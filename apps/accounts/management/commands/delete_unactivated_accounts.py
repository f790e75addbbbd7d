"""Delete the accounts created by a sign-up and never activated (every site)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import delete_unactivated_accounts


class Command(BaseCommand):
    help = "Delete accounts never activated, older than UNACTIVATED_ACCOUNT_DAYS days (every site)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Age in days of the accounts to delete (default: {settings.UNACTIVATED_ACCOUNT_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count the accounts, delete nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        count = delete_unactivated_accounts(dry_run=dry_run, days=days)
        if dry_run:
            self.stdout.write(f"{count} account(s) never activated would be deleted (dry run: nothing deleted).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{count} account(s) never activated deleted."))
