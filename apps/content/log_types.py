"""The action types of the site's public texts: pages, FAQ entries and accompanying documents
created, changed (published, unpublished...) or deleted in the back office."""

from apps.audit.registry import declare
from apps.core.log_types import row_types

from .models import AccompanyingDocument, FaqEntry, PublicPage

declare(row_types(PublicPage, FaqEntry, AccompanyingDocument))
