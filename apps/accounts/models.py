"""People and their roles.

A :class:`User` is a global identity (one e-mail, one password); everything a person
does or may do on a site hangs off site-owned rows, starting with
:class:`RoleAssignment`. The operator flag is the only platform-wide power.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_operator=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    tenancy = "global"

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_operator = models.BooleanField(
        _("platform operator"), default=False, help_text=_("Runs the whole platform, every site included.")
    )
    preferred_language = models.CharField(_("language"), max_length=5, default="fr")
    email_confirmed_at = models.DateTimeField(
        _("e-mail confirmed"),
        null=True,
        blank=True,
        help_text=_("Empty while the person has not proved they receive mail at this address."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def is_staff(self):
        """May use the Django admin on some site: an operator, or a master referent somewhere.

        Django's admin sign-in form asks this; the admin then asks
        :func:`apps.accounts.policy.may_use_admin` for the site at hand. Not the
        back-office "staff" of a site (``policy.actor_for(...).is_staff``).
        """
        if not self.is_active:
            return False
        if self.is_operator:
            return True
        if self.pk is None:
            return False
        masters = RoleAssignment.objects.with_scopes_disabled()  # any site
        return masters.filter(user=self, role=Role.MASTER_REFERENT).exists()

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    MASTER_REFERENT = "master_referent", _("Master-establishment referent")
    ESTABLISHMENT_REFERENT = "establishment_referent", _("Host-establishment referent")
    STRUCTURE_REFERENT = "structure_referent", _("Host-structure referent")
    STRUCTURE_CONSULTANT = "structure_consultant", _("Structure consultant")
    SPEAKER = "speaker", _("Speaker")
    HIGH_SCHOOL_REFERENT = "high_school_referent", _("High-school referent")
    LEGAL_DEPARTMENT = "legal_department", _("Legal department")
    PUPIL = "pupil", _("Pupil")
    STUDENT = "student", _("Student")
    VISITOR = "visitor", _("Visitor")


#: What each role is attached to: None (the whole site), or the scope field it needs.
ROLE_SCOPE = {
    Role.MASTER_REFERENT: None,
    Role.ESTABLISHMENT_REFERENT: "establishment",
    Role.STRUCTURE_REFERENT: "structure",
    Role.STRUCTURE_CONSULTANT: "structure",
    Role.SPEAKER: ("establishment", "high_school"),
    Role.HIGH_SCHOOL_REFERENT: "high_school",
    Role.LEGAL_DEPARTMENT: "establishment",
    Role.PUPIL: None,
    Role.STUDENT: None,
    Role.VISITOR: None,
}
SCOPE_FIELDS = ("establishment", "structure", "high_school")
ROLE_SCOPE_ERRORS = {
    None: _("This role applies to the whole site: leave establishment, structure and high school empty."),
    "establishment": _("This role needs an establishment, and only an establishment."),
    "structure": _("This role needs a structure, and only a structure."),
    "high_school": _("This role needs a high school, and only a high school."),
    "speaker": _("A speaker belongs to either an establishment or a host high school."),
}


def _only(*fields):
    """Q: exactly these scope fields are set, the others are empty."""
    q = Q()
    for name in SCOPE_FIELDS:
        q &= Q(**{f"{name}__isnull": name not in fields})
    return q


def _role_shape_condition():
    condition = Q()
    for role, scope in ROLE_SCOPE.items():
        if scope is None:
            shape = _only()
        elif isinstance(scope, tuple):
            shape = Q()
            for option in scope:
                shape |= _only(option)
        else:
            shape = _only(scope)
        condition |= Q(role=role) & shape
    return condition


class RoleAssignment(SiteOwnedModel):
    """A person holds a role on a site, possibly for one establishment, structure or high school."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    establishment = models.ForeignKey(
        "organisations.Establishment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("establishment"),
    )
    structure = models.ForeignKey(
        "organisations.Structure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure"),
    )
    high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("high school"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(condition=_role_shape_condition(), name="roleassignment_scope_matches_role"),
            models.UniqueConstraint(
                fields=["site", "user", "role"],
                condition=Q(establishment__isnull=True, structure__isnull=True, high_school__isnull=True),
                name="roleassignment_unique_site_wide",
            ),
            models.UniqueConstraint(
                fields=["site", "user", "role", "establishment"],
                condition=Q(establishment__isnull=False),
                name="roleassignment_unique_per_establishment",
            ),
            models.UniqueConstraint(
                fields=["site", "user", "role", "structure"],
                condition=Q(structure__isnull=False),
                name="roleassignment_unique_per_structure",
            ),
            models.UniqueConstraint(
                fields=["site", "user", "role", "high_school"],
                condition=Q(high_school__isnull=False),
                name="roleassignment_unique_per_high_school",
            ),
        ]

    def __str__(self):
        target = self.establishment or self.structure or self.high_school
        label = self.get_role_display()
        return f"{self.user} — {label} ({target})" if target else f"{self.user} — {label}"

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        scope = ROLE_SCOPE.get(self.role)
        given = {name for name in SCOPE_FIELDS if getattr(self, f"{name}_id")}
        if isinstance(scope, tuple):
            ok = len(given) == 1 and given <= set(scope)
        else:
            ok = given == ({scope} if scope else set())
        if not ok:
            raise ValidationError(ROLE_SCOPE_ERRORS[scope if not isinstance(scope, tuple) else "speaker"])


class AccountToken(models.Model):
    """A single-use, expiring secret sent by e-mail (activation, reset, e-mail change, invitation).

    Only a SHA-256 digest of the secret is stored: a database leak gives no usable link.
    Global, like the identity it acts on; ``site`` records where it was issued, so the link
    it is sent in leads back to that site.
    """

    tenancy = "global"

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Account activation")
        PASSWORD_RESET = "password_reset", _("Password reset")
        EMAIL_CHANGE = "email_change", _("E-mail change")
        INVITATION = "invitation", _("Invitation")
        EMAIL_CONFIRMATION = "email_confirmation", _("E-mail confirmation")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("user"))
    site = models.ForeignKey(
        "tenancy.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("account token")
        verbose_name_plural = _("account tokens")
        indexes = [models.Index(fields=["user", "purpose"], name="accounttoken_user_purpose_idx")]

    def __str__(self):
        return f"{self.get_purpose_display()} — {self.user}"
