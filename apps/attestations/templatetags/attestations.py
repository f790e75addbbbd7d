"""``{% record_documents record %}``: a record's documents and where each stands.

Self-sufficient (it reads the status itself), so that any page showing a record, such
as a validator's, can include ``attestations/_record_documents.html`` with just
``record`` in its context.
"""

from django import template

from apps.attestations import selectors

register = template.Library()


@register.inclusion_tag("attestations/_record_documents_list.html")
def record_documents(record):
    statuses = selectors.document_status(record) if record is not None and record.pk else []
    return {"record": record, "statuses": statuses}
