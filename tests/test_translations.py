"""French first: the catalogue is compiled, complete and used."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from apps.accounts.models import Role
from apps.catalogue.models import Slot
from apps.registrations.models import Attendance

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_is_the_default_language():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]


def test_samples_are_translated():
    with translation.override("fr"):
        assert str(Slot._meta.verbose_name_plural) == "créneaux"
        assert str(Slot.Place.ON_SITE.label) == "En présentiel"
        assert str(Attendance.REMOTE.label) == "Présent·e à distance"
        assert str(Role.SPEAKER.label) == "Intervenant·e"
        assert ngettext("%(counter)s place left", "%(counter)s places left", 3) % {"counter": 3} == "3 places restantes"
        assert ngettext("%(counter)s place left", "%(counter)s places left", 1) % {"counter": 1} == "1 place restante"
    with translation.override("en"):
        assert gettext("Face-to-face") == "Face-to-face"


def test_the_catalogue_has_no_fuzzy_or_missing_entry():
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt (Debian package gettext) is needed to check the catalogue")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert PO.with_suffix(".mo").exists()
