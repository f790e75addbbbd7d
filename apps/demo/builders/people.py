"""Demo accounts: one per role, plus extra pupils who fill the full slots.

Every account is active with a confirmed e-mail address, so it signs in at once on the
local login page. Users are global rows (one e-mail, one password across sites); their roles are
site-owned :class:`RoleAssignment` rows. Hashing a password is deliberately slow
(Argon2, ~0.2 s), so the documented password is hashed once per run with
``set_password`` and that hash is given to every account that needs it: a new
account, or any account when ``reset_passwords`` is asked. Existing accounts keep
their password otherwise, so a second run writes nothing.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User

from . import ensure

FILLER_FIRST_NAMES = [
    "Emma", "Louis", "Chloé", "Gabriel", "Inès", "Raphaël", "Manon", "Arthur", "Jade", "Jules",
    "Lina", "Adam", "Zoé", "Noah", "Sarah", "Ethan", "Camille", "Nathan", "Alice", "Yanis",
]  # fmt: skip
FILLER_LAST_NAMES = [
    "Schneider", "Wagner", "Koch", "Becker", "Zimmermann", "Lang", "Haas", "Graff", "Ehrhart", "Kieffer",
    "Baumann", "Huber", "Stoll", "Ritter", "Walter", "Jung", "Frey", "Heitz", "Ott", "Brun",
]  # fmt: skip


class SharedPassword:
    """Hash the documented password once (set_password), then reuse the hash."""

    def __init__(self, raw):
        self.raw = raw
        self._encoded = None

    def apply(self, user):
        if self._encoded is None:
            user.set_password(self.raw)
            self._encoded = user.password
        else:
            user.password = self._encoded


@dataclass
class People:
    accounts: list = field(default_factory=list)  # [(spec dict, User)] in spec order
    by_key: dict = field(default_factory=dict)  # account key -> User
    pupils: list = field(default_factory=list)  # the documented pupil first, then the filler pupils
    teachers: dict = field(default_factory=dict)  # owner (structure code or UAI) -> [User]


def ensure_user(stats, email, first_name, last_name, password, *, operator=False, reset_password=False):
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "is_active": True,
        "is_operator": operator,
        "is_superuser": operator,
    }
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, email_confirmed_at=timezone.now(), **values)
        password.apply(user)
        user.save()
        stats.count(User, "created")
        return user
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if user.email_confirmed_at is None:  # created before the demo confirmed addresses
        user.email_confirmed_at = timezone.now()
        changed.append("email_confirmed_at")
    if reset_password:
        password.apply(user)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
        stats.count(User, "updated")
    return user


def _scope(item, orgs):
    scope = {"establishment": None, "structure": None, "high_school": None}
    if "establishment" in item:
        scope["establishment"] = orgs.establishments[item["establishment"]]
    if "structure" in item:
        scope["structure"] = orgs.structures[item["structure"][1]]
    if "high_school" in item:
        scope["high_school"] = orgs.high_schools[item["high_school"]]
    return scope


def build_people(site, spec, stats, orgs, password, reset_passwords=False):
    people = People()
    domain = spec["site"]["email_domain"]
    for item in spec["accounts"]:
        user = ensure_user(
            stats,
            f"{item['key']}@{domain}",
            item["first_name"],
            item["last_name"],
            password,
            operator=bool(item.get("operator")),
            reset_password=reset_passwords,
        )
        if item.get("role"):
            ensure(stats, RoleAssignment, site, {"user": user, "role": item["role"], **_scope(item, orgs)})
        people.accounts.append((item, user))
        people.by_key[item["key"]] = user
        for owner in item.get("teaches", ()):
            people.teachers.setdefault(owner, []).append(user)
    if "pupil" in people.by_key:
        people.pupils.append(people.by_key["pupil"])
    for number in range(1, spec["offer"]["filler_pupils"] + 1):
        index = number - 1
        user = ensure_user(
            stats,
            f"pupil{number:02d}@{domain}",
            FILLER_FIRST_NAMES[index % len(FILLER_FIRST_NAMES)],
            FILLER_LAST_NAMES[(index * 7) % len(FILLER_LAST_NAMES)],
            password,
            reset_password=reset_passwords,
        )
        ensure(stats, RoleAssignment, site, {"user": user, "role": Role.PUPIL, **_scope({}, orgs)})
        people.pupils.append(user)
    return people
