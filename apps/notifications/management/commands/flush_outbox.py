from django.core.management.base import BaseCommand

from apps.notifications import delivery


class Command(BaseCommand):
    help = "Deliver the outbox's due messages (retries, messages whose task was lost) and flag stuck ones."

    def handle(self, *args, **options):
        result = delivery.flush_outbox()
        self.stdout.write(" ".join(f"{name}={value}" for name, value in result.items()))
