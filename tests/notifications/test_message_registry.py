"""Every message is declared, documented, renders in French and English, and every key sent exists."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from apps.notifications import registry
from apps.notifications.services import render_message

APPS = Path(settings.BASE_DIR) / "apps"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")


def _sent_keys():
    """Every message key passed to send_message in apps/, directly or through a helper taking ``key``.

    Helpers are functions whose first parameter is handed to send_message; a call to one
    with a literal, or an assignment of a literal to ``key``, names a message.
    """
    trees = {path: ast.parse(path.read_text(), str(path)) for path in APPS.rglob("*.py")}
    senders, keys, dynamic = {"send_message"}, set(), []
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.args.args:
                first = node.args.args[0].arg
                for call in ast.walk(node):
                    if (
                        isinstance(call, ast.Call)
                        and getattr(call.func, "id", getattr(call.func, "attr", None)) == "send_message"
                        and call.args
                        and isinstance(call.args[0], ast.Name)
                        and call.args[0].id == first
                    ):
                        senders.add(node.name)
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in senders:
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    keys.add(node.args[0].value)
                elif node.args and not (isinstance(node.args[0], ast.Name) and node.args[0].id == "key"):
                    dynamic.append(f"{path}:{node.lineno}")
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "key" and isinstance(node.value, ast.Constant):
                        keys.add(node.value.value)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        for name, value in zip(target.elts, node.value.elts, strict=False):
                            if getattr(name, "id", None) == "key" and isinstance(value, ast.Constant):
                                keys.add(value.value)
    return keys, dynamic


def test_every_message_sent_is_declared():
    keys, dynamic = _sent_keys()
    assert not dynamic, f"message keys the test cannot read: {dynamic}"
    assert {"account_activation", "registration_cancelled", "waiting_list_offer", "staff_role_granted"} <= keys
    missing = sorted(keys - set(registry.REGISTRY))
    assert not missing, f"messages sent but not declared: {missing}"


def test_no_message_is_left_as_a_template_file():
    assert not list(APPS.glob("*/templates/notifications/*.txt"))


def test_the_disability_notice_is_declared():
    assert registry.get("registration_disability_notice") is not None


@pytest.mark.parametrize("key", sorted(registry.REGISTRY))
def test_each_message_is_documented_and_valid_in_every_language(key):
    spec = registry.get(key)
    assert str(spec.group) and str(spec.label) and str(spec.recipients)
    names = [v.name for v in spec.all_variables]
    assert len(names) == len(set(names)), "a variable is declared twice"
    for variable in spec.variables:
        assert str(variable.description) and variable.sample, f"{key}: {variable.name} needs a description and a sample"
    for language in LANGUAGES:
        subject, body = registry.default_texts(spec, language)
        assert registry.check_template(subject, spec) == [], (key, language, subject)
        assert registry.check_template(body, spec) == [], (key, language, body)


@pytest.mark.parametrize("key", sorted(registry.REGISTRY))
def test_each_message_renders_with_its_samples_in_french_and_english(key, world):
    spec = registry.get(key)
    rendered = {}
    for language in LANGUAGES:
        subject, body = registry.preview(spec, site=world.site, language=language, base_url="https://x.example")
        assert subject and body.strip()
        assert not LEFTOVER.search(subject + body)
        rendered[language] = (subject, body)
    used = set()  # the variables shown with every sample set (not those of an {% else %} branch)
    for text in (spec.subject, spec.body):
        shown = re.sub(r"\{% else %\}.*?\{% endif %\}", "", str(text), flags=re.S)
        used |= set(re.findall(r"\{\{ (\w+) \}\}", shown))
    for name in used - {"site_name", "site_url"}:
        sample = spec.sample_values()[name]
        assert sample in rendered["en"][0] + rendered["en"][1], f"{key}: {name} is not rendered"
    assert rendered["fr"][1] != rendered["en"][1], f"{key}: no French text (catalogue not compiled?)"


def _contexts(w):
    from apps.registrations.models import GroupRegistration

    group = GroupRegistration.objects.create(
        site=w.site,
        slot=w.slot,
        high_school=w.high_school,
        pupils_count=1,
        contact_name="Mme Martin",
        contact_email="martin@lycee.example",
    )
    w.pupil.first_name = "Zoé"
    return {
        "account_activation": ({"user": w.pupil, "token": "TOKEN123"}, ["Zoé", "/account/activation/TOKEN123/"]),
        "account_exists": ({"user": w.pupil, "token": None}, ["Zoé", "/account/password/reset/"]),
        "registration_cancelled": (
            {"registration": w.registration, "slot": w.slot, "reason": "Plus d'intérêt"},
            ["Zoé", "Algorithmique", "Plus d'intérêt"],
        ),
        "slot_changed": ({"slot": w.slot, "changes": ["date", "room"], "name": "Zoé"}, ["Zoé", "Campus central"]),
        "record_rejected": (
            {"record": w.pupil_record, "person": w.pupil, "reason": "Classe erronée"},
            ["Classe erronée", "/record/"],
        ),
        "staff_invitation": (
            {
                "person": w.speaker,
                "inviter": w.master_referent,
                "role": "Intervenant",
                "scope": w.structure,
                "accept_path": "/back-office/staff/invitation/abc/",
            },
            ["Intervenant — Sciences", "/back-office/staff/invitation/abc/"],
        ),
        "group_registration_confirmed": (
            {"group": group, "slot": w.slot, "name": group.contact_name},
            ["Mme Martin", "Lycée Kléber", "Algorithmique"],
        ),
        "course_alert": ({"slot": w.slot, "course": w.course}, [f"/slots/{w.slot.pk}/", "Algorithmique"]),
        "offer_speaker_added": ({"person": w.speaker, "offer": w.course}, ["Algorithmique", "/back-office/my-slots/"]),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_render_with_real_objects(in_site, language):
    for key, (context, expected) in _contexts(in_site).items():
        subject, body = render_message(key, site=in_site.site, context=context, language=language)
        assert subject and not LEFTOVER.search(subject + body), key
        for text in expected:
            assert text in subject + body, (key, language, text)


def test_group_pupils_agree_in_number(in_site):
    w = in_site
    context = _contexts(w)["group_registration_confirmed"][0]
    with translation.override("en"):
        assert (
            "1 pupil of"
            in render_message("group_registration_confirmed", site=w.site, context=context, language="en")[1]
        )
        context["group"].pupils_count = 24
        body = render_message("group_registration_confirmed", site=w.site, context=context, language="en")[1]
    assert "24 pupils of" in body
