"""Sign-in chooser, CAS, SAML (RENATER and EduConnect), federated logout, e-mail of EduConnect pupils.

Views stay thin: the rules live in ``services`` (who may come in, what is created) and
``selectors`` (which methods a site offers); ``saml`` builds the site's service provider.
"""

import logging
from urllib.parse import quote

import saml2
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from djangosaml2 import views as saml_views
from djangosaml2.cache import IdentityCache, StateCache
from djangosaml2.overrides import Saml2Client
from djangosaml2.utils import get_location

from apps.accounts import links
from apps.accounts.models import AccountToken
from apps.accounts.tokens import peek_token

from . import cas, metadata, saml, selectors, services
from .csp import allow_identity_provider_post
from .models import SESSION_AUTH_METHOD, Provider
from .services import SignInRefused

logger = logging.getLogger(__name__)

SESSION_PENDING_STUDENT = "federation_pending_student"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
CONFIG_LOADER = "apps.federation.saml.config_loader"


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return ""


def _sign_in(request, user, method):
    auth.login(request, user, backend=MODEL_BACKEND)
    request.session[SESSION_AUTH_METHOD] = method


def refused(request, error, status=403):
    return render(request, "federation/refused.html", {"message": error.message, "reason": error.reason}, status=status)


# --- The chooser ---------------------------------------------------------------------------------


@require_GET
def sign_in(request):
    population = request.GET.get("population", "")
    if population not in selectors.POPULATIONS:
        population = ""
    next_url = _safe_next(request, request.GET.get("next", ""))
    context = {
        "populations": list(selectors.POPULATIONS.items()),
        "population": population,
        "next": next_url,
        "chooser": selectors.chooser(request.site, population, next_url) if population else None,
    }
    return render(request, "federation/sign_in.html", context)


# --- CAS -----------------------------------------------------------------------------------------


@require_GET
def cas_login(request):
    federation = selectors.federation_settings(request.site)
    if not selectors.cas_available(federation):
        raise Http404
    client = cas.client_for(request, federation)
    ticket = request.GET.get("ticket", "")
    if not ticket:
        request.session[cas.SESSION_NEXT] = _safe_next(request, request.GET.get("next", ""))
        return redirect(client.get_login_url())
    username = None
    if len(ticket) <= 256:
        try:
            username, attributes, _pgtiou = client.verify_ticket(ticket)
        except Exception:  # network error, malformed answer: the person gets a clear page
            logger.warning("CAS ticket validation failed on site %s", request.site.pk, exc_info=True)
    if not username:
        return refused(request, SignInRefused("invalid_response"))
    try:
        user = services.cas_staff_user(request.site, cas.issuer(federation), username, attributes)
    except SignInRefused as error:
        return refused(request, error)
    next_url = request.session.pop(cas.SESSION_NEXT, "")
    _sign_in(request, user, Provider.CAS)
    return redirect(next_url or "accounts:after_sign_in")


# --- SAML ----------------------------------------------------------------------------------------


class SamlSessionMixin:
    """djangosaml2 keeps its state in ``request.saml_session`` (SamlSessionMiddleware); the
    ordinary session serves when that middleware is not installed."""

    config_loader_path = CONFIG_LOADER

    def dispatch(self, request, *args, **kwargs):
        if not hasattr(request, "saml_session"):
            request.saml_session = request.session
        return super().dispatch(request, *args, **kwargs)


@method_decorator(allow_identity_provider_post, name="dispatch")
class SamlLoginView(SamlSessionMixin, saml_views.LoginView):
    post_binding_form_template = "federation/saml_post_form.html"

    def get(self, request, provider):
        federation = selectors.federation_settings(request.site)
        if provider == Provider.EDUCONNECT and selectors.educonnect_available(federation):
            idps = metadata.entity_ids_in(federation.educonnect_metadata_xml)
        elif provider == Provider.SHIBBOLETH and selectors.shibboleth_available(federation):
            idps = selectors.shibboleth_idps(federation)
        else:
            raise Http404
        if not idps:
            raise Http404
        idp = request.GET.get("idp", "")
        next_url = _safe_next(request, request.GET.get("next", ""))
        if idp and idp not in idps:
            return refused(request, SignInRefused("unknown_provider"), status=400)
        if not idp and len(idps) == 1:
            idp = idps[0]
        if not idp:
            if federation.shibboleth_discovery_url:
                back = request.build_absolute_uri(reverse("federation:saml_login", args=[provider]))
                back += f"?next={quote(next_url, safe='')}" if next_url else ""
                return redirect(
                    f"{federation.shibboleth_discovery_url}?entityID={quote(saml.sp_entity_id(request.site), safe='')}"
                    f"&return={quote(back, safe='')}&returnIDParam=idp"
                )
            return render(
                request, "federation/wayf.html", {"idps": sorted(idps), "provider": provider, "next": next_url}
            )
        query = request.GET.copy()
        query["idp"] = idp
        if next_url:
            query["next"] = next_url
        else:
            query.pop("next", None)
        request.GET = query
        return super().get(request)


@method_decorator(csrf_exempt, name="dispatch")
class SamlAcsView(SamlSessionMixin, saml_views.AssertionConsumerServiceView):
    def post(self, request, *args, **kwargs):
        self.federation = selectors.federation_settings(request.site)
        if self.federation is None or not saml.enabled_metadata(self.federation):
            raise Http404
        self.redirect_to = None
        try:
            return super().post(request)
        except (saml2.SAMLError, ValueError) as error:  # raised past djangosaml2's own checks
            return self.handle_acs_failure(request, exception=error)

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        if not isinstance(exception, SignInRefused):
            logger.info("SAML response refused on site %s: %r", request.site.pk, exception)
            exception = SignInRefused("invalid_response")
        return refused(request, exception, status=403)

    def custom_validation(self, response):
        if getattr(response, "assertion", None) is None:
            raise SignInRefused("invalid_response")
        if saml.provider_of(self.federation, response.issuer()) is None:
            raise SignInRefused("unknown_provider")

    def authenticate_user(self, request, session_info, attribute_mapping, create_unknown_user, assertion_info):
        issuer, ava = session_info["issuer"], session_info.get("ava") or {}
        name_id = session_info.get("name_id")
        provider = saml.provider_of(self.federation, issuer)
        if provider == Provider.SHIBBOLETH:
            outcome, value = services.resolve_shibboleth(request.site, self.federation, issuer, ava)
            if outcome == "confirm":
                request.session[SESSION_PENDING_STUDENT] = value
                saml_views._set_subject_id(request.saml_session, name_id)
                self.redirect_to = reverse("federation:student_confirm")
                return None
            user = value
        elif provider == Provider.EDUCONNECT:
            user, _created = services.educonnect_pupil(
                request.site, self.federation, issuer, getattr(name_id, "text", ""), ava
            )
        else:
            raise SignInRefused("unknown_provider")
        _sign_in(request, user, provider)
        saml_views._set_subject_id(request.saml_session, name_id)
        return user

    def custom_redirect(self, user, relay_state, session_info):
        if self.redirect_to:
            return self.redirect_to
        if user is not None and services.has_placeholder_email(user):
            return reverse("federation:give_email")
        return None


class SamlMetadataView(SamlSessionMixin, saml_views.MetadataView):
    pass


@method_decorator([csrf_exempt, allow_identity_provider_post], name="dispatch")
class SamlLogoutServiceView(SamlSessionMixin, saml_views.LogoutView):
    """The identity provider's answer to our logout request, or its own logout request."""

    logout_error_template = "federation/logout_error.html"

    def do_logout_service(self, request, data, binding, *args, **kwargs):
        if "SAMLResponse" not in data:
            return super().do_logout_service(request, data, binding, *args, **kwargs)
        state, client = self.get_state_client(request)
        try:
            client.parse_logout_request_response(data["SAMLResponse"], binding)
        except Exception:
            logger.info("SAML logout response refused on site %s", request.site.pk, exc_info=True)
        state.sync()
        auth.logout(request)
        return redirect("portal:home")


def _saml_logout(request):
    home = reverse("portal:home")
    try:
        conf = saml.config_loader(request)
    except Http404:
        auth.logout(request)
        return redirect(home)
    if not hasattr(request, "saml_session"):
        request.saml_session = request.session
    state = StateCache(request.saml_session)
    client = Saml2Client(conf, state_cache=state, identity_cache=IdentityCache(request.saml_session))
    subject_id = saml_views._get_subject_id(request.saml_session)
    result = None
    if subject_id is not None:
        try:
            result = client.global_logout(subject_id)
        except Exception:  # no single logout at this IdP, unsupported binding...: local logout
            logger.info("SAML single logout unavailable on site %s", request.site.pk, exc_info=True)
    auth.logout(request)
    state.sync()
    for logout_info in (result or {}).values():
        if isinstance(logout_info, tuple):
            binding, http_info = logout_info
            if binding == saml2.BINDING_HTTP_POST:
                return HttpResponse("".join(http_info["data"]))
            if binding == saml2.BINDING_HTTP_REDIRECT:
                return redirect(get_location(http_info))
    return redirect(home)


@require_http_methods(["GET", "POST"])
@allow_identity_provider_post
def logout(request):
    """End the identity provider's session where the protocol allows, then the local one."""
    method = request.session.get(SESSION_AUTH_METHOD)
    if method == Provider.CAS:
        federation = selectors.federation_settings(request.site)
        auth.logout(request)
        if selectors.cas_available(federation):
            back = request.build_absolute_uri(reverse("portal:home"))
            return redirect(cas.client_for(request, federation).get_logout_url(back))
        return redirect("portal:home")
    if method in (Provider.SHIBBOLETH, Provider.EDUCONNECT):
        return _saml_logout(request)
    auth.logout(request)
    return redirect("portal:home")


# --- First sign-in of a student ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def student_confirm(request):
    pending = request.session.get(SESSION_PENDING_STUDENT)
    if not pending or pending.get("site") != request.site.pk:
        return refused(request, SignInRefused("expired"), status=400)
    if request.method == "POST":
        if "cancel" in request.POST:
            request.session.pop(SESSION_PENDING_STUDENT, None)
            return redirect("portal:home")
        try:
            user = services.create_student(request.site, pending)
        except SignInRefused as error:
            request.session.pop(SESSION_PENDING_STUDENT, None)
            return refused(request, error)
        subject = request.session.get("_saml2_subject_id")
        _sign_in(request, user, Provider.SHIBBOLETH)
        request.session.pop(SESSION_PENDING_STUDENT, None)
        if subject and "_saml2_subject_id" not in request.session:
            request.session["_saml2_subject_id"] = subject
        return redirect("accounts:after_sign_in")
    context = {"pending": pending, "institution": services.pending_institution(pending)}
    return render(request, "federation/student_confirm.html", context)


# --- E-mail of a pupil who came from EduConnect without one --------------------------------------


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email.endswith("@" + services.PLACEHOLDER_DOMAIN):
            raise forms.ValidationError(_("Please give an address where you receive mail."))
        return email


@login_required
@require_http_methods(["GET", "POST"])
def give_email(request):
    if not services.has_placeholder_email(request.user):
        return redirect("accounts:after_sign_in")
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_email_confirmation(request.site, request.user, form.cleaned_data["email"])
        return render(request, "federation/email_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "federation/give_email.html", {"form": form})


@never_cache
@require_GET
def confirm_email(request, token):
    """The e-mail's link: its token goes to the session, the form's page has none (see accounts.links)."""
    if peek_token(token, AccountToken.Purpose.EMAIL_CONFIRMATION) is None:
        return render(request, "federation/confirm_email.html", {"valid": False}, status=400)
    return links.follow(request, AccountToken.Purpose.EMAIL_CONFIRMATION, token, "federation:confirm_email_form")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email_form(request):
    purpose = AccountToken.Purpose.EMAIL_CONFIRMATION
    token = links.kept(request, purpose)
    if request.method == "GET":
        valid = peek_token(token, purpose) is not None
        return render(request, "federation/confirm_email.html", {"valid": valid}, status=200 if valid else 400)
    user = services.confirm_email(token)
    links.forget(request, purpose)
    if user is None:
        return render(request, "federation/confirm_email.html", {"valid": False}, status=400)
    messages.success(request, gettext("Your e-mail address is confirmed."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:after_sign_in")
    return redirect(settings.LOGIN_URL)
