"""Every message of the platform, declared once: its variables, its default texts, how to fill it.

Each app declares its messages in ``apps/<app>/messages.py`` with :func:`register`; the
notifications app imports those modules when Django starts. A message's texts (default or a
site's own) are templates over **plain string variables only** — ``{{ first_name }}``,
``{% if reason %}…{% endif %}`` — rendered by a restricted engine that knows no other tag,
no filter and no object: a site's editors can neither reach data they were not given nor
break a message. ``build(context)`` turns what the caller passes (model instances...) into
those strings; it is code, reviewed with the app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    sample: str = ""


#: Variables every message has.
COMMON_VARIABLES = (
    Variable("site_name", _("name of the site"), "ImmerSup Alsace"),
    Variable("site_url", _("address of the site"), "https://immersion.example.org"),
)


@dataclass(frozen=True)
class MessageSpec:
    key: str
    group: str  # lazy, e.g. _("Registrations")
    label: str  # lazy, e.g. _("Registration confirmed")
    recipients: str  # lazy: who receives it
    subject: str  # lazy default subject (English msgid, French from the catalogue)
    body: str  # lazy default body
    variables: tuple[Variable, ...] = ()
    build: Callable[[dict], dict] = field(default=lambda context: {})

    @property
    def all_variables(self):
        return (*COMMON_VARIABLES, *self.variables)

    def sample_values(self):
        return {v.name: str(v.sample) for v in self.all_variables}


REGISTRY: dict[str, MessageSpec] = {}


def register(*specs: MessageSpec):
    for spec in specs:
        if spec.key in REGISTRY and REGISTRY[spec.key] != spec:
            raise ValueError(f"message {spec.key} is declared twice")
        REGISTRY[spec.key] = spec


def autodiscover():
    for config in apps.get_app_configs():
        if config.name.startswith("apps."):
            try:
                import_module(f"{config.name}.messages")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.messages":
                    raise


def get(key) -> MessageSpec | None:
    return REGISTRY.get(key)


def grouped():
    """[(group, [specs])] sorted for display."""
    groups: dict[str, list] = {}
    for spec in REGISTRY.values():
        groups.setdefault(str(spec.group), []).append(spec)
    return [(name, sorted(specs, key=lambda s: str(s.label))) for name, specs in sorted(groups.items())]


class _RestrictedEngine(Engine):
    default_builtins = []  # not even Django's default tags and filters


@functools.cache
def restricted_engine():
    return _RestrictedEngine(
        builtins=["apps.notifications.restricted_tags"], autoescape=False, string_if_invalid="", libraries={}
    )


def _condition_variables(condition):
    """The variables an ``{% if %}`` condition reads (operators have first / second, leaves a value)."""
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            yield from _condition_variables(part)
    value = getattr(condition, "value", None)
    var = getattr(value, "var", None)
    if var is not None and hasattr(var, "var"):
        yield var.var


def _template_variables(template):
    from django.template.base import VariableNode
    from django.template.defaulttags import IfNode

    for node in template.nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        if hasattr(var, "var"):  # a literal ("text") has no variable name
            yield var.var
    for node in template.nodelist.get_nodes_by_type(IfNode):
        for condition, _nodelist in node.conditions_nodelists:
            if condition is not None:
                yield from _condition_variables(condition)


def check_template(text, spec: MessageSpec) -> list[str]:
    """Problems of a site's text for this message (empty: fine): syntax, unknown variables."""
    from django.template.base import TextNode
    from django.utils.translation import gettext

    try:
        template = restricted_engine().from_string(text)
    except TemplateSyntaxError as error:
        return [gettext("This text cannot be read: %(error)s") % {"error": error}]
    for node in template.nodelist.get_nodes_by_type(TextNode):
        if any(mark in node.s for mark in ("{{", "}}", "{%", "%}", "{#", "#}")):
            return [
                gettext(
                    "Misplaced braces: write a variable as {{ name }} and a condition as {% if name %}…{% endif %}."
                )
            ]
    known = {v.name for v in spec.all_variables}
    unknown = {name for name in _template_variables(template) if "." in name or name not in known}
    if unknown:
        return [gettext("Unknown variables: %(names)s.") % {"names": ", ".join(sorted(unknown))}]
    return []


def render_text(text, values) -> str:
    """Plain text, never marked safe: a page showing it (the editor's preview) escapes it."""
    rendered = restricted_engine().from_string(str(text)).render(Context(values, autoescape=False))
    return str.__str__(rendered)


def render_pair(subject_text, body_text, values) -> tuple[str, str]:
    """(subject, body) rendered as a message is sent: the subject on one line."""
    subject = render_text(subject_text, values).strip()
    return " ".join(subject.split()), render_text(body_text, values)


def default_texts(spec: MessageSpec, language) -> tuple[str, str]:
    """The default (subject, body) templates of a message in a language."""
    with translation.override(language):
        return str(spec.subject), str(spec.body)


def preview(spec: MessageSpec, *, site, language, base_url, subject=None, body=None) -> tuple[str, str]:
    """A message rendered with its sample values (the site's name and address being the real ones)."""
    values = {**spec.sample_values(), "site_name": site.name, "site_url": base_url}
    with translation.override(language):
        default_subject, default_body = str(spec.subject), str(spec.body)
        return render_pair(
            default_subject if subject is None else subject, default_body if body is None else body, values
        )
