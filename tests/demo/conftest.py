"""The demo sites, built once for the whole package (inside a transaction rolled back at the end).

Documents are stored in a directory of their own, so that the run's files can be counted
and nothing lands in the shared test media directory.
"""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from apps.tenancy.models import Site
from apps.tenancy.scoping import platform_job

from .helpers import row_counts, stored_files


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    private = tmp_path_factory.mktemp("demo-private-media")
    with override_settings(PRIVATE_MEDIA_ROOT=private), django_db_blocker.unblock(), transaction.atomic():
        first_out = StringIO()
        call_command("load_demo", stdout=first_out, stderr=StringIO())
        after_first = row_counts()
        files_first = stored_files(private)
        second_out = StringIO()
        call_command("load_demo", stdout=second_out, stderr=StringIO())
        after_second = row_counts()
        with platform_job():
            sites = SimpleNamespace(one=Site.objects.get(slug="demo"), two=Site.objects.get(slug="site2"))
        yield SimpleNamespace(
            first_out=first_out.getvalue(),
            second_out=second_out.getvalue(),
            after_first=after_first,
            after_second=after_second,
            private=private,
            files_first=files_first,
            files_second=stored_files(private),
            **vars(sites),
        )
        transaction.set_rollback(True)
