"""The tables of the registry kinds, built once per kind."""

from functools import cache

import django_tables2 as tables
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ROW_ATTRS = {"data-pk": lambda record: record.pk}
YESNO = (_("Yes"), _("No"))


def _edit_link(area, kind):
    if kind.slug == "subdomains":
        return lambda record: reverse("backoffice:reference_subdomain_edit", args=[record.domain_id, record.pk])
    return lambda record: reverse(area.url_name("edit"), args=[kind.slug, record.pk])


@cache
def table_for(area, kind):
    """A django-tables2 Table class for ``kind`` of ``area`` (sortable columns, linked titles)."""
    model = kind.model
    attrs = {
        kind.title_field: tables.Column(
            linkify=_edit_link(area, kind), verbose_name=capfirst(model._meta.get_field(kind.title_field).verbose_name)
        ),
    }
    for name in kind.columns:
        if name == "subdomain_count":
            attrs[name] = tables.Column(verbose_name=_("Subdomains"))
            continue
        field = model._meta.get_field(name)
        if field.get_internal_type() == "BooleanField":
            attrs[name] = tables.BooleanColumn(yesno=YESNO, verbose_name=capfirst(field.verbose_name))
        else:
            attrs[name] = tables.Column(verbose_name=capfirst(field.verbose_name))
    if kind.flag and kind.flag not in attrs:
        attrs[kind.flag] = tables.BooleanColumn(
            yesno=YESNO, verbose_name=capfirst(model._meta.get_field(kind.flag).verbose_name)
        )
    sequence = (kind.title_field, *[c for c in kind.columns if c != kind.title_field])
    if kind.flag and kind.flag not in sequence:
        sequence = (*sequence, kind.flag)
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": (),
            "sequence": sequence,
            "attrs": {"class": "table table-sm table-striped align-middle"},
            "row_attrs": ROW_ATTRS,
            "empty_text": _("Nothing here yet."),
        },
    )
    attrs["Meta"] = meta
    return type(f"{model.__name__}Table", (tables.Table,), attrs)


class YearTable(tables.Table):
    label = tables.Column(linkify=lambda record: reverse("backoffice:reference_year_edit", args=[record.pk]))
    start_date = tables.DateColumn(short=True)
    end_date = tables.DateColumn(short=True)
    accounts_open_date = tables.DateColumn(short=True)
    purge_date = tables.DateColumn(short=True)
    is_active = tables.BooleanColumn(yesno=YESNO)
    period_count = tables.Column(verbose_name=_("Periods"))

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle"}
        row_attrs = ROW_ATTRS
        empty_text = _("No university year yet.")
