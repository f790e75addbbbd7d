""":func:`row_types`, the action types of plain rows edited in the back office (reference lists,
calendar, public texts): ``<app>.<model>.created / changed / deleted``, named after the
model so that the log page's object-type filter finds them. (The admin's own types are
declared by :mod:`apps.admin_face.log_types`.)"""

from django.utils.text import capfirst, format_lazy
from django.utils.translation import pgettext_lazy

ROW_VERBS = {
    "created": pgettext_lazy("action log", "created"),
    "changed": pgettext_lazy("action log", "changed"),
    "deleted": pgettext_lazy("action log", "deleted"),
}


def row_types(*models) -> dict:
    """``{"<app>.<model>.<verb>": "<Model>: <verb>"}`` for each model and verb of :data:`ROW_VERBS`."""
    return {
        f"{model._meta.label_lower}.{verb}": format_lazy("{}: {}", capfirst(model._meta.verbose_name), label)
        for model in models
        for verb, label in ROW_VERBS.items()
    }
