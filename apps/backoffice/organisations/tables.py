"""Tables of the organisations lists. A row's name links to its edit page when the person may
change it (decided by the policy, from the row's loaded relations: no query per row)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.accounts.policy import Action, can
from apps.catalogue.models import Training
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure


class YesNoColumn(tables.Column):
    """A boolean said in words (a tick alone says nothing to a screen reader)."""

    def render(self, value):
        return _("Yes") if value else _("No")


class OrganisationTable(tables.Table):
    url_name = ""
    label = tables.Column(verbose_name=_("Name"), linkify=False)

    def __init__(self, *args, actor, site, **kwargs):
        self.actor, self.site = actor, site
        super().__init__(*args, **kwargs)

    def render_label(self, record, value):
        if can(self.actor, Action.CHANGE, record, self.site):
            url = reverse(f"backoffice:{self.url_name}", args=[record.pk])
            return format_html('<a href="{}">{}</a>', url, value)
        return value

    class Meta:
        attrs = {"class": "table table-striped table-hover align-middle"}
        empty_text = _("Nothing to show.")
        orderable = True


class EstablishmentTable(OrganisationTable):
    url_name = "organisations_establishment_edit"
    is_master = tables.Column(verbose_name=_("Kind"))
    structure_count = tables.Column(verbose_name=_("Structures"))
    is_active = YesNoColumn(verbose_name=_("Active"))

    class Meta(OrganisationTable.Meta):
        model = Establishment
        fields = ("label", "code", "is_master", "uai", "city", "structure_count", "is_active")

    def render_is_master(self, value):
        return _("Master") if value else _("Host")


class HighSchoolTable(OrganisationTable):
    url_name = "organisations_highschool_edit"
    agreement = tables.Column(verbose_name=_("Agreement"), empty_values=(), order_by=("agreement_end",))
    hosts_post_bac_trainings = YesNoColumn(verbose_name=_("Post-bac trainings"))
    accepts_individual_immersions = YesNoColumn(verbose_name=_("Individual immersions"))
    training_count = tables.Column(verbose_name=_("Trainings"))
    is_active = YesNoColumn(verbose_name=_("Active"))

    class Meta(OrganisationTable.Meta):
        model = HighSchool
        fields = (
            "label",
            "city",
            "uai",
            "agreement",
            "hosts_post_bac_trainings",
            "accepts_individual_immersions",
            "training_count",
            "is_active",
        )

    def render_agreement(self, record):
        today = timezone.localdate()
        if record.has_agreement(today):
            if record.agreement_end:
                return _("In force until %(date)s") % {"date": record.agreement_end.strftime("%d/%m/%Y")}
            return _("In force")
        if record.agreement_end and record.agreement_end < today:
            return _("Expired")
        return _("None")


class StructureTable(OrganisationTable):
    url_name = "organisations_structure_edit"
    establishment = tables.Column(verbose_name=_("Establishment"), accessor="establishment__label")
    training_count = tables.Column(verbose_name=_("Trainings"))
    is_active = YesNoColumn(verbose_name=_("Active"))

    class Meta(OrganisationTable.Meta):
        model = Structure
        fields = ("label", "code", "establishment", "email", "training_count", "is_active")


class CampusTable(OrganisationTable):
    url_name = "organisations_campus_edit"
    establishment = tables.Column(verbose_name=_("Establishment"), accessor="establishment__label")
    building_count = tables.Column(verbose_name=_("Buildings"))
    is_active = YesNoColumn(verbose_name=_("Active"))

    class Meta(OrganisationTable.Meta):
        model = Campus
        fields = ("label", "establishment", "address", "city", "building_count", "is_active")


class BuildingTable(OrganisationTable):
    url_name = "organisations_building_edit"
    campus = tables.Column(verbose_name=_("Campus"), accessor="campus__label")
    establishment = tables.Column(verbose_name=_("Establishment"), accessor="campus__establishment__label")
    map_url = tables.Column(verbose_name=_("Map"), orderable=False)
    is_active = YesNoColumn(verbose_name=_("Active"))

    class Meta(OrganisationTable.Meta):
        model = Building
        fields = ("label", "campus", "establishment", "map_url", "is_active")

    def render_map_url(self, record, value):
        return format_html('<a href="{}" rel="noopener">{}</a>', value, _("Map of %(name)s") % {"name": record.label})


class TrainingTable(OrganisationTable):
    url_name = "organisations_training_edit"
    owner = tables.Column(
        verbose_name=_("Offered by"), empty_values=(), order_by=("structure__label", "high_school__label")
    )
    subdomains = tables.Column(verbose_name=_("Subdomains"), empty_values=(), orderable=False)
    course_count = tables.Column(verbose_name=_("Courses"))
    is_active = YesNoColumn(verbose_name=_("Active"))

    class Meta(OrganisationTable.Meta):
        model = Training
        fields = ("label", "owner", "subdomains", "course_count", "is_active")

    def render_owner(self, record):
        if record.structure_id:
            return f"{record.structure.label} — {record.structure.establishment.label}"
        return str(record.high_school)

    def render_subdomains(self, record):
        items = record.subdomains.all()  # prefetched
        if not items:
            return "—"
        return format_html_join(", ", "{}", ((s.label,) for s in items))
