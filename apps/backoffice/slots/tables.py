"""The slot list's table: sortable columns, fill rate, row checkboxes and quick actions."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Slot

T = "backoffice/slots/"


class SlotTable(tables.Table):
    select = tables.TemplateColumn(
        template_name=f"{T}_select.html", verbose_name=_("Select"), orderable=False, exclude_from_export=True
    )
    date = tables.TemplateColumn(
        template_name=f"{T}_date.html", verbose_name=_("Date"), order_by=("date", "start_time")
    )
    times = tables.TemplateColumn(
        "{{ record.start_time|time:'H:i' }} – {{ record.end_time|time:'H:i' }}",
        verbose_name=_("Times"),
        order_by=("start_time",),
    )
    offer = tables.TemplateColumn(
        template_name=f"{T}_offer.html", verbose_name=_("Course or event"), order_by=("course__label", "event__label")
    )
    where = tables.TemplateColumn(template_name=f"{T}_place.html", verbose_name=_("Place"), order_by=("place",))
    places = tables.TemplateColumn(
        template_name=f"{T}_places.html", verbose_name=_("Places taken"), order_by=("individual_places_taken",)
    )
    active_groups = tables.Column(verbose_name=_("Groups"))
    published = tables.TemplateColumn(template_name=f"{T}_published.html", verbose_name=_("Published"))
    actions = tables.TemplateColumn(template_name=f"{T}_actions.html", verbose_name=_("Actions"), orderable=False)

    class Meta:
        model = Slot
        fields = []
        sequence = ("select", "date", "times", "offer", "where", "places", "active_groups", "published", "actions")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "slots-table"}
        empty_text = _("No slot matches these filters.")
