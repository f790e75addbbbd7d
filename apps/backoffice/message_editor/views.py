"""The back-office editor of the site's messages: list, texts per language, preview, reset.

Only the site's master referents and the operator see or change them; every read and write
goes through ``request.site``, so a site never sees another site's texts.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.notifications import registry, texts
from apps.notifications.models import MessageTemplate
from apps.notifications.services import site_base_url
from apps.staff.guard import back_office_view

from .forms import MessageTextForm

LANGUAGES = dict(settings.LANGUAGES)


def _spec(request, key, language=None):
    if not request.actor.is_master:
        raise PermissionDenied
    spec = registry.get(key)
    if spec is None or (language is not None and language not in LANGUAGES):
        raise Http404
    return spec


def _own_texts(site, key):
    return {
        text.language: text for text in MessageTemplate.objects.filter(site=site, key=key).select_related("updated_by")
    }


def _detail(request, spec, *, bound=None, status=200):
    """The message page: its variables, and per language the current text, its preview and the edit form."""
    own = _own_texts(request.site, spec.key)
    base_url = site_base_url(request.site)
    languages = []
    for code, name in settings.LANGUAGES:
        default_subject, default_body = registry.default_texts(spec, code)
        text = own.get(code)
        current = (text.subject, text.body) if text else (default_subject, default_body)
        form = bound if bound is not None and bound.language == code else None
        preview, preview_of_draft = None, False
        if form is not None and form.is_valid():
            preview = registry.preview(
                spec,
                site=request.site,
                language=code,
                base_url=base_url,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            preview_of_draft = True
        elif form is None:
            form = MessageTextForm(spec=spec, language=code, initial={"subject": current[0], "body": current[1]})
            preview = registry.preview(
                spec, site=request.site, language=code, base_url=base_url, subject=current[0], body=current[1]
            )
        languages.append(
            {
                "code": code,
                "name": name,
                "own": text,
                "default_subject": default_subject,
                "default_body": default_body,
                "form": form,
                "preview": preview,
                "preview_of_draft": preview_of_draft,
            }
        )
    context = {"spec": spec, "variables": spec.all_variables, "texts": languages}
    return render(request, "backoffice/message_editor/detail.html", context, status=status)


@back_office_view
def message_list(request):
    if not request.actor.is_master:
        raise PermissionDenied
    own = set(MessageTemplate.objects.filter(site=request.site).values_list("key", "language"))
    groups = [
        (group, [{"spec": spec, "own": [code for code in LANGUAGES if (spec.key, code) in own]} for spec in specs])
        for group, specs in registry.grouped()
    ]
    context = {"groups": groups, "language_columns": settings.LANGUAGES}
    return render(request, "backoffice/message_editor/list.html", context)


@back_office_view
def message_detail(request, key):
    return _detail(request, _spec(request, key))


@back_office_view
@require_http_methods(["GET", "POST"])
def message_edit(request, key, language):
    spec = _spec(request, key, language)
    if request.method == "GET":
        return redirect(reverse("notifications:message_detail", args=[key]) + f"#text-{language}")
    form = MessageTextForm(request.POST, spec=spec, language=language)
    if "preview" in request.POST or not form.is_valid():
        return _detail(request, spec, bound=form, status=200 if form.is_valid() else 400)
    data = form.cleaned_data
    texts.save_text(request.site, spec, language, subject=data["subject"], body=data["body"], by=request.user)
    messages.success(request, _("The text is saved: it is used from now on."))
    return redirect(reverse("notifications:message_detail", args=[key]) + f"#text-{language}")


@back_office_view
@require_http_methods(["GET", "POST"])
def message_reset(request, key, language):
    spec = _spec(request, key, language)
    own = MessageTemplate.objects.filter(site=request.site, key=key, language=language)
    if request.method == "POST":
        texts.reset_text(request.site, spec, language, by=request.user)
        messages.success(request, _("The default text is back."))
        return redirect(reverse("notifications:message_detail", args=[key]) + f"#text-{language}")
    context = {"spec": spec, "language": language, "language_name": LANGUAGES[language], "has_own": own.exists()}
    return render(request, "backoffice/message_editor/reset.html", context)
