"""The only template tag a site's message texts may use: ``{% if %}`` (with elif / else)."""

from django.template import Library
from django.template.defaulttags import do_if

register = Library()
register.tag("if", do_if)
