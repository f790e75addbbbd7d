"""Every action type an app declares is listed in the README's architecture section, and each
has a readable name in both languages."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from apps.audit import registry

README = Path(settings.BASE_DIR) / "README.md"


def test_the_readme_lists_every_declared_action_type():
    text = README.read_text()
    missing = [name for name in registry.all_types() if f"`{name}`" not in text]
    assert not missing, f"action types missing from README.md: {missing}"


def test_each_type_has_a_french_name():
    with translation.override("fr"):
        french = {name: registry.label(name) for name in registry.all_types()}
    with translation.override("en"):
        english = {name: registry.label(name) for name in registry.all_types()}
    untranslated = [name for name in french if french[name] == english[name]]
    assert not untranslated, untranslated
