"""One way to build a back-office list: filtered (django-filter), sorted and paginated
(django-tables2) on the server, with the person's filters kept between visits.

A view calls :func:`list_page`. Every value of the query string goes through a form first:
the page (a positive number), the page size (one of :data:`PAGE_SIZES`), the sort (only the
table's sortable columns) and each filter (the filterset's own form). An invalid value is
dropped, the list shows without it and a translated message says so; only valid values are
kept for the next visit. When the request has no query string, the person's kept filters are
checked the same way (an invalid one, kept before this check existed or since made invalid, is
dropped and forgotten) and restored by a redirect. ``?reset=1`` forgets them.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig
from django_tables2.utils import OrderBy

from .models import SavedListFilter

PAGE_SIZE = 25
#: The page sizes a list accepts (``?per_page=``), besides the list's own default.
PAGE_SIZES = (10, 25, 50, 100)
#: Parameters that are never kept: they belong to one visit.
TRANSIENT = {"page", "reset", "_"}
_KEPT_LENGTH = SavedListFilter._meta.get_field("query_string").max_length


class ListSettingsForm(forms.Form):
    """The table's own parameters, each checked; ``sortable``: the names of its sortable columns."""

    page = forms.IntegerField(label=gettext_lazy("Page"), min_value=1, required=False)
    per_page = forms.TypedChoiceField(label=gettext_lazy("Rows per page"), coerce=int, required=False)
    sort = forms.CharField(label=gettext_lazy("Sort order"), max_length=200, required=False)

    def __init__(self, data, *, sortable, sizes):
        super().__init__(data)
        self.sortable = sortable
        self.fields["per_page"].choices = [(str(size), str(size)) for size in sizes]

    def clean_sort(self):
        value = self.cleaned_data["sort"]
        aliases = [alias for alias in value.split(",") if alias]
        if any(OrderBy(alias).bare not in self.sortable for alias in aliases):
            raise ValidationError(_("This list cannot be sorted that way."), code="invalid_sort")
        return ",".join(aliases)


class _Query:
    """The checked query string of one list: what it shows, what it keeps, and what it refused."""

    def __init__(self, request, data, *, filterset_class, queryset, table, sizes):
        self.fields = {
            "page": table.prefixed_page_field,
            "per_page": table.prefixed_per_page_field,
            "sort": table.prefixed_order_by_field,
        }
        self.filterset = filterset_class(data or None, queryset=queryset, request=request)
        self.clean, self.refused = QueryDict(mutable=True), []
        self._check_settings(data, {column.name for column in table.columns if column.orderable}, sizes)
        self._check_filters(data)
        if self.refused:  # filter on the valid values only
            self.filterset = filterset_class(self.clean or None, queryset=queryset, request=request)

    def _check_settings(self, data, sortable, sizes):
        form = ListSettingsForm(
            {name: data.get(param) for name, param in self.fields.items() if param in data},
            sortable=sortable,
            sizes=sizes,
        )
        form.is_valid()
        for name, param in self.fields.items():
            if name in form.errors:
                self.refused.append(str(form.fields[name].label))
            elif form.cleaned_data.get(name) not in (None, ""):
                self.clean[param] = str(form.cleaned_data[name])

    def _check_filters(self, data):
        form = self.filterset.form
        if not self.filterset.is_bound:
            return
        form.is_valid()
        whole_form_refused = bool(form.non_field_errors())
        for name, field in form.fields.items():
            params = _params_of(form, name, field)
            if whole_form_refused or name in form.errors:
                if any(data.get(param) for param in params):
                    self.refused.append(str(field.label or name))
                continue
            for param in params:
                if param in data:
                    self.clean.setlist(param, data.getlist(param))

    def kept(self):
        """The query string to keep for the next visit ("" if nothing, None if too long to keep)."""
        kept = self.clean.copy()
        for name in TRANSIENT | {self.fields["page"]}:
            kept.pop(name, None)
        query_string = kept.urlencode()
        return query_string if len(query_string) <= _KEPT_LENGTH else None


def _params_of(form, name, field):
    """The query parameters that carry a form field (one, or one per part of a multi-part widget)."""
    base = form.add_prefix(name)
    if isinstance(field.widget, forms.MultiWidget):
        return [f"{base}{suffix}" for suffix in field.widget.widgets_names]
    return [base]


def _kept_filter(request, key):
    return SavedListFilter.objects.filter(site=request.site, user=request.user, list_key=key)


def _restore(request, key, check):
    """A redirect to the person's kept filters (still valid ones only), or None."""
    saved = _kept_filter(request, key).first()
    if saved is None or not saved.query_string:
        return None
    query_string = check(QueryDict(saved.query_string)).kept()
    if query_string != saved.query_string:  # something in it is no longer valid: forget it
        if query_string:
            saved.query_string = query_string
            saved.save(update_fields=["query_string", "updated_at"])
        else:
            saved.delete()
    return HttpResponseRedirect(f"{request.path}?{query_string}") if query_string else None


def _keep(request, key, query):
    query_string = query.kept()
    if query_string is not None:
        SavedListFilter.objects.update_or_create(
            site=request.site, user=request.user, list_key=key, defaults={"query_string": query_string}
        )


def list_page(request, *, key, queryset, filterset_class, table_class, per_page=PAGE_SIZE, table_kwargs=None):
    """(redirect or None, filterset, table) for a list page. The table is sorted and paginated."""
    table_kwargs = table_kwargs or {}
    if request.GET.get("reset"):
        _kept_filter(request, key).delete()
        return HttpResponseRedirect(request.path), None, None
    columns = table_class(queryset.none(), **table_kwargs)  # what the table can sort on, and its parameters

    def check(data):
        sizes = sorted({*PAGE_SIZES, per_page})
        return _Query(request, data, filterset_class=filterset_class, queryset=queryset, table=columns, sizes=sizes)

    if not request.GET:
        redirect = _restore(request, key, check)
        if redirect is not None:
            return redirect, None, None
    query = check(request.GET)
    if query.refused:
        messages.warning(
            request,
            _("Some list settings were not valid and were ignored: %(names)s.") % {"names": ", ".join(query.refused)},
        )
    if request.GET:
        _keep(request, key, query)
    if query.clean != request.GET:
        request.GET = query.clean.copy()  # the table's links (pages, sort) carry the valid values only
        request.GET._mutable = False
    filterset = query.filterset
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    table = table_class(rows, **table_kwargs)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return None, filterset, table


def query_without(request, *names):
    """The current query string without some parameters (for links that change one of them)."""
    return urlencode([(k, v) for k, values in request.GET.lists() if k not in names for v in values])
