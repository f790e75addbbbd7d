"""The staff pages: landing page, charter, invitations, people and their roles.

Thin: rights come from ``@back_office_view`` and :mod:`apps.accounts.policy`, rules from
:mod:`.services`, reads from :mod:`.selectors`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import links, policy
from apps.accounts.models import AccountToken, RoleAssignment
from apps.organisations.models import Establishment, HighSchool

from . import selectors, services
from .forms import AcceptInvitationForm, InviteForm, PeopleFilterForm, role_scopes
from .guard import back_office_view

LOCAL_BACKEND = "django.contrib.auth.backends.ModelBackend"
INVITATION = AccountToken.Purpose.INVITATION


@back_office_view(charter_exempt=True)
@require_http_methods(["GET", "POST"])
def charter(request):
    site, actor = request.site, request.actor
    if request.method == "POST":
        kind, _sep, pk = request.POST.get("party", "").partition("-")
        if not pk.isdigit() or kind not in ("establishment", "high_school"):
            messages.error(request, _("Choose what you sign for."))
            return redirect("staff:charter")
        if kind == "establishment":
            party = {"establishment": get_object_or_404(Establishment, site=site, pk=pk)}
        else:
            party = {"high_school": get_object_or_404(HighSchool, site=site, pk=pk)}
        try:
            services.sign_charter(actor, site, **party)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: the charter is signed."))
        return redirect("staff:charter")
    page = selectors.charter_page(actor, site)
    return render(request, "staff/charter.html", {"page": page})


@back_office_view
@require_http_methods(["GET", "POST"])
def invite(request):
    site, actor = request.site, request.actor
    if not selectors.may_grant_roles(actor):
        raise PermissionDenied
    initial = {}
    person_id = request.GET.get("person", "")
    if person_id:
        person = selectors.person_in_scope(actor, site, person_id) if person_id.isdigit() else None
        if person is None:
            raise Http404
        initial = {"email": person.email, "first_name": person.first_name, "last_name": person.last_name}
    form = InviteForm(request.POST or None, initial=initial, actor=actor, site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.invite(
                actor,
                site,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                method=data["method"],
                **form.scope,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except PermissionDenied:
            form.add_error(None, _("You may not grant this role there."))
        else:
            if not result.sent:
                messages.warning(request, _("The role is granted, but the e-mail could not be sent. Try again later."))
            elif result.created_user:
                messages.success(request, _("The account is created, the role granted, and the invitation sent."))
            else:
                messages.success(request, _("The role is granted; the person has been told by e-mail."))
            return redirect("staff:people")
    context = {"form": form, "role_scopes": role_scopes()}
    return render(request, "staff/invite.html", context, status=400 if form.errors else 200)


@back_office_view
def people(request):
    site, actor = request.site, request.actor
    if not selectors.may_grant_roles(actor):
        raise PermissionDenied
    roles = selectors.grant_options(actor, site).roles
    filters = PeopleFilterForm(request.GET or None, roles=roles)
    role = search = ""
    if filters.is_valid():
        role, search = filters.cleaned_data["role"], filters.cleaned_data["q"]
    page_obj, rows = selectors.people_page(actor, site, role=role, search=search, page=request.GET.get("page"))
    for row in rows:
        for assignment in row.assignments:
            assignment.may_revoke = policy.can(actor, policy.Action.GRANT, assignment, site)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page_obj": page_obj, "rows": rows, "query": query.urlencode()}
    return render(request, "staff/people.html", context)


@back_office_view
@require_POST
def revoke(request, pk):
    site, actor = request.site, request.actor
    assignment = (
        RoleAssignment.objects.filter(site=site, pk=pk)
        .select_related("user", "establishment", "structure", "high_school")
        .first()
    )
    if assignment is None or not policy.can(actor, policy.Action.VIEW, assignment, site):
        raise Http404
    if not policy.can(actor, policy.Action.GRANT, assignment, site):
        raise PermissionDenied
    try:
        services.revoke(actor, site, assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(person)s no longer holds this role.") % {"person": assignment.user.get_full_name()}
        )
    return redirect("staff:people")


def _invitation_invalid(request):
    return render(request, "staff/invitation_invalid.html", status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """The link of the invitation e-mail: its token goes to the session, the form is shown without it."""
    if services.invitation_for(token, request.site) is None:
        return _invitation_invalid(request)
    return links.follow(request, INVITATION, token, "staff:choose_password")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def choose_password(request):
    site = request.site
    token = links.kept(request, INVITATION)
    invitation = services.invitation_for(token, site)
    if invitation is None:
        return _invitation_invalid(request)
    form = AcceptInvitationForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.accept_invitation(token, site, form.cleaned_data["new_password1"])
        links.forget(request, INVITATION)
        if user is None:
            return _invitation_invalid(request)
        login(request, user, backend=LOCAL_BACKEND)
        request.session["auth_method"] = "local"
        messages.success(request, _("Welcome! Your password is set and you are signed in."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "person": invitation.user}
    return render(request, "staff/accept_invitation.html", context, status=400 if form.errors else 200)
