"""Text search over any database: every word of a query, whatever its accents and case.

Used by the searches of schools and institutions and by the back office's list filters.
"""

import unicodedata

from django.db.models import Q

MAX_SEARCH_WORDS = 5
MAX_WORD_LENGTH = 40

_VARIANTS = {
    "a": "aàâäáãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "n": "nñ",
    "o": "oôöóòõ",
    "u": "uùûüú",
    "y": "yÿý",
}


def fold(text):
    """Lower case, without accents: "Kléber" -> "kleber"."""
    text = (text or "").replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def accent_pattern(word):
    """A regular expression matching ``word`` whatever its accents and case, on every database.

    Letters become classes of their accented and upper-case forms; any other character
    matches any character (so "saint louis" finds "Saint-Louis"). Linear: no repetition.
    """
    parts = []
    for ch in fold(word)[:MAX_WORD_LENGTH]:
        if "a" <= ch <= "z":
            variants = _VARIANTS.get(ch, ch)
            parts.append(f"[{variants}{variants.upper()}]")
        elif ch.isdigit():
            parts.append(ch)
        else:
            parts.append(".")
    return "".join(parts)


def text_filter(query, fields):
    """Q: every word of ``query`` appears (accent- and case-insensitively) in one of ``fields``."""
    words = [w for w in (query or "").split() if w][:MAX_SEARCH_WORDS]
    condition = Q()
    for word in words:
        pattern = accent_pattern(word)
        if not pattern:
            continue
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__regex": pattern})
        condition &= any_field
    return condition


def search_is_long_enough(query):
    return len(fold(query).strip()) >= 2
