"""Tables of the course and event lists (rows come annotated from apps.catalogue.offer_selectors).

The cell templates read ``kind`` ("course" or "event") from the page's context."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

ATTRS = {"class": "table table-sm table-striped align-middle"}


class OfferTable(tables.Table):
    label = tables.TemplateColumn(
        template_name="backoffice/offer/_cell_label.html", verbose_name=_("Name"), order_by=("label", "pk")
    )
    upcoming_slots = tables.Column(verbose_name=_("Upcoming slots"), attrs={"td": {"class": "text-end"}})
    places = tables.TemplateColumn(
        template_name="backoffice/offer/_cell_places.html",
        verbose_name=_("Places taken / places"),
        order_by=("places_taken", "places_total"),
        attrs={"td": {"class": "text-end"}},
    )
    published = tables.TemplateColumn(
        template_name="backoffice/offer/_cell_published.html", verbose_name=_("Published"), order_by=("published",)
    )

    class Meta:
        attrs = ATTRS
        empty_text = _("Nothing matches these filters.")
        order_by = ("label",)


class CourseTable(OfferTable):
    training = tables.Column(verbose_name=_("Training"), accessor="training__label", order_by=("training__label",))
    owner = tables.TemplateColumn(
        template_name="backoffice/offer/_cell_course_owner.html",
        verbose_name=_("Structure or high school"),
        order_by=("training__structure__label", "training__high_school__label"),
    )

    class Meta(OfferTable.Meta):
        sequence = ("label", "training", "owner", "upcoming_slots", "places", "published")


class EventTable(OfferTable):
    event_type = tables.Column(verbose_name=_("Type"), accessor="event_type__label", order_by=("event_type__label",))
    owner = tables.TemplateColumn(
        template_name="backoffice/offer/_cell_event_owner.html",
        verbose_name=_("Organised by"),
        order_by=("establishment__label", "structure__label", "high_school__label"),
    )

    class Meta(OfferTable.Meta):
        sequence = ("label", "event_type", "owner", "upcoming_slots", "places", "published")
