"""Calendar feeds keep no usable secret: the old clear token becomes the seed of an HMAC key,
and feeds are found by the key's digest. Existing addresses change (their owners' "my calendar"
page shows the new one)."""

import base64
import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def fill_digests(apps, schema_editor):
    CalendarFeed = apps.get_model("registrations", "CalendarFeed")
    for feed in CalendarFeed._base_manager.all().only("pk", "seed"):
        mac = hmac.new(settings.SECRET_KEY.encode(), f"immersup.calendar-feed:{feed.seed}".encode(), hashlib.sha256)
        key = base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")
        CalendarFeed._base_manager.filter(pk=feed.pk).update(digest=hashlib.sha256(key.encode()).hexdigest())


class Migration(migrations.Migration):
    dependencies = [("registrations", "0002_engine")]

    operations = [
        migrations.RemoveConstraint(model_name="calendarfeed", name="calendar_feed_token_unique"),
        migrations.RenameField(model_name="calendarfeed", old_name="token", new_name="seed"),
        migrations.AlterField(
            model_name="calendarfeed", name="seed", field=models.CharField(max_length=64, verbose_name="seed")
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="digest",
            field=models.CharField(default="", max_length=64, verbose_name="digest"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="calendarfeed",
            constraint=models.UniqueConstraint(fields=("site", "digest"), name="calendar_feed_digest_unique"),
        ),
    ]
