"""Every URL pattern of the project as a concrete address, for sweeps of bad input (test_*_sweep.py)."""

import re
from urllib.parse import quote

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_WORDS = re.compile(r"^[\w-]+(?:\|[\w-]+)*$")


def _regex_sample(regex, fill):
    """A string the regex matches (enough for this project's few re_path patterns)."""
    regex = regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$")
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0:
                    break
                j += 1
            body = regex[regex.index(">", i) + 1 : j]
            out.append(fill("str", body.split("|")[0] if _WORDS.match(body) else None))
            i = j + 1
        elif regex[i] == "\\" and i + 1 < len(regex):
            out.append(regex[i + 1])
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _piece(pattern, fill):
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(lambda m: fill(m["converter"] or "str", None), str(pattern._route))
    if isinstance(pattern, RegexPattern):
        return _regex_sample(str(pattern._regex), fill)
    return str(pattern)


def _has_parameters(pattern):
    if isinstance(pattern, RoutePattern):
        return bool(_CONVERTER.search(str(pattern._route)))
    return isinstance(pattern, RegexPattern) and "(?P<" in str(pattern._regex)


def all_urls(fill):
    """[(address, name, has_parameters)] of every pattern; ``fill(converter, sample)`` gives each parameter."""
    found = []

    def walk(resolver, prefix, parameters, namespace):
        for entry in resolver.url_patterns:
            piece = _piece(entry.pattern, fill)
            with_parameters = parameters or _has_parameters(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + piece, with_parameters, inner)
            else:
                found.append(("/" + prefix + piece, f"{namespace}{entry.name or '?'}", with_parameters))

    walk(get_resolver(), "", False, "")
    return found


def with_nul(converter, sample):
    """A parameter value carrying a NUL character (percent-encoded, as a browser sends it)."""
    return "x%00"


def plausible(converter, sample):
    """A well-formed parameter value (the URL resolves; the row usually does not exist)."""
    if sample:
        return sample
    return {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000"}.get(converter, "x")


def encoded(path):
    return quote(path, safe="/%")
