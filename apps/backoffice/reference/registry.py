"""What the generic back-office pages of this area can edit: one ``Kind`` per URL slug.

Two areas share the generic list / create / edit / delete views: the reference data
(``reference_*`` URL names, rights from :func:`apps.accounts.policy.can`, which gives
reference lists to the master referent only) and the public texts (``content_*``, master
referent only: those models have no rule of their own in the policy module).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.accounts.policy import can
from apps.content.models import AccompanyingDocument, FaqEntry, PublicPage
from apps.referentials import models as ref


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    fields: tuple
    #: Extra columns of the list (model field names, or "subdomain_count").
    columns: tuple = ()
    search: tuple = ("label",)
    #: The boolean field the list filters on and "deactivate" sets (None: no such thing).
    flag: str | None = "is_active"
    #: Name of the first column, linked to the edit page.
    title_field: str = "label"

    @property
    def title(self):
        return self.model._meta.verbose_name_plural

    @property
    def name(self):
        return self.model._meta.verbose_name


ACTIVE = ("position", "is_active")


def _kinds(*kinds):
    return {kind.slug: kind for kind in kinds}


REFERENCE_KINDS = _kinds(
    Kind(
        "high-school-levels",
        ref.HighSchoolLevel,
        ("label", "is_post_bachelor", "requires_speciality", "mefstat4_codes", *ACTIVE),
        columns=("is_post_bachelor", "requires_speciality", "mefstat4_codes", "position"),
        search=("label", "mefstat4_codes"),
    ),
    Kind("post-bac-levels", ref.PostBachelorLevel, ("label", *ACTIVE), columns=("position",)),
    Kind("student-levels", ref.StudentLevel, ("label", *ACTIVE), columns=("position",)),
    Kind("bachelor-types", ref.BachelorType, ("label", "kind", *ACTIVE), columns=("kind", "position")),
    Kind(
        "series",
        ref.TechnologicalSeries,
        ("code", "label", *ACTIVE),
        columns=("code", "position"),
        search=("label", "code"),
    ),
    Kind("specialities", ref.GeneralSpeciality, ("label", *ACTIVE), columns=("position",)),
    Kind("domains", ref.TrainingDomain, ("label", *ACTIVE), columns=("subdomain_count", "position")),
    Kind(
        "course-types",
        ref.CourseType,
        ("code", "label", *ACTIVE),
        columns=("code", "position"),
        search=("label", "code"),
    ),
    Kind("event-types", ref.EventType, ("label", *ACTIVE), columns=("position",)),
    Kind("public-types", ref.PublicType, ("label", *ACTIVE), columns=("position",)),
    Kind(
        "cancellation-reasons",
        ref.CancellationReason,
        ("label", "usable_by_registrants", "usable_by_managers", "usable_by_system", *ACTIVE),
        columns=("usable_by_registrants", "usable_by_managers", "usable_by_system", "position"),
    ),
)

#: Subdomains are edited within their domain (not a kind of their own in the URLs).
SUBDOMAIN_KIND = Kind("subdomains", ref.TrainingSubdomain, ("label", *ACTIVE), columns=("position",))


CONTENT_KINDS = _kinds(
    Kind(
        "pages",
        PublicPage,
        ("slug", "title", "body", "published"),
        columns=("slug", "published", "updated_at"),
        search=("title", "body"),
        flag="published",
        title_field="title",
    ),
    Kind(
        "faq",
        FaqEntry,
        ("question", "answer", "position", "published"),
        columns=("position", "published"),
        search=("question", "answer"),
        flag="published",
        title_field="question",
    ),
    Kind(
        "documents",
        AccompanyingDocument,
        ("title", "description", "audience", "file", "position", "published"),
        columns=("audience", "position", "published"),
        search=("title", "description"),
        flag="published",
        title_field="title",
    ),
)


def _reference_rights(actor, action, obj, site):
    return can(actor, action, obj, site)


def _content_rights(actor, action, obj, site):
    return actor.is_master and obj.site_id == site.pk


@dataclass(frozen=True, eq=False)
class Area:
    prefix: str
    kinds: dict
    may: Callable
    title: object
    #: The list of the area's kinds (breadcrumb).
    index_url_name: str

    def url_name(self, suffix):
        return f"backoffice:{self.prefix}_{suffix}"


REFERENCE = Area("reference", REFERENCE_KINDS, _reference_rights, _("Reference data"), "backoffice:reference_index")
CONTENT = Area("content", CONTENT_KINDS, _content_rights, _("Public texts"), "backoffice:content_index")
