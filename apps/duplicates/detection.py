"""Flag possible duplicate accounts: same names and birth date on the same site.

Names are compared without accents, case, or the spaces, hyphens and apostrophes between
their parts ("Élodie DUPONT" = "elodie dupont", "Jean-Marc" = "jean marc"). Birth dates
live on the records, names on the user: a check reads every record of the site with the
same birth date in one query, compares identity keys in Python, and stores the new pairs
in one more (a pair already stored, whatever its status, is never flagged again).
"""

import re
import unicodedata

from apps.records.services import RECORD_KINDS
from apps.tenancy.scoping import platform_job

from .models import DuplicateCandidate

#: Letters that compatibility decomposition leaves whole.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—'’ʼ`´.,_]+")


def normalise(text):
    """Lower-case ASCII-ish form of a name, for comparison only."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return _SEPARATORS.sub(" ", text).strip()


def identity_key(first_name, last_name, birth_date):
    return f"{normalise(first_name)}|{normalise(last_name)}|{birth_date.isoformat()}"


def record_models():
    return list(RECORD_KINDS.values())


def _union(querysets):
    first, *rest = [qs.order_by() for qs in querysets]
    return first.union(*rest, all=True) if rest else first


def detect_for_record(record):
    """Check the person of a record that was just saved. Returns the new candidates."""
    if record.birth_date is None or record.user_id is None:
        return []
    return detect(record.user, {(record.site_id, record.birth_date)})


def detect_for_user(user):
    """Check a person whose names changed, on every site where a record gives a birth date."""
    with platform_job():
        wanted = set(
            _union(
                model.objects.filter(user=user, birth_date__isnull=False).values_list("site_id", "birth_date")
                for model in record_models()
            )
        )
    return detect(user, wanted) if wanted else []


def detect(user, wanted):
    """Flag ``user`` with every other person holding a record on the same site with the same
    birth date and the same normalised names. ``wanted``: {(site id, birth date)}.

    Three queries whatever the number of records: the matches, the pairs already known,
    the insertion.
    """
    if not wanted or user.pk is None:
        return []
    site_ids = {site_id for site_id, _ in wanted}
    dates = {birth_date for _, birth_date in wanted}
    with platform_job():
        rows = _union(
            model.objects.filter(site_id__in=site_ids, birth_date__in=dates)
            .exclude(user_id=user.pk)
            .values_list("site_id", "birth_date", "user_id", "user__first_name", "user__last_name")
            for model in record_models()
        )
        pairs = {}
        for site_id, birth_date, other_id, first_name, last_name in rows:
            if (site_id, birth_date) not in wanted:
                continue
            key = identity_key(first_name, last_name, birth_date)
            if key == identity_key(user.first_name, user.last_name, birth_date):
                low, high = sorted((user.pk, other_id))
                pairs.setdefault((site_id, low, high), key)
        if not pairs:
            return []
        known = set(
            DuplicateCandidate.objects.filter(
                site_id__in={site_id for site_id, _, _ in pairs},
                user_a_id__in={low for _, low, _ in pairs},
                user_b_id__in={high for _, _, high in pairs},
            ).values_list("site_id", "user_a_id", "user_b_id")
        )
        new = [
            DuplicateCandidate(site_id=site_id, user_a_id=low, user_b_id=high, identity_key=key)
            for (site_id, low, high), key in pairs.items()
            if (site_id, low, high) not in known
        ]
        if new:
            # A concurrent save may have stored the same pair meanwhile: the constraint keeps one.
            DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
    return new
