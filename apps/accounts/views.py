"""Local accounts: sign-up, activation, sign-in and out, passwords, e-mail change.

Thin views: the rules live in :mod:`apps.accounts.services`. Every page that starts from
an e-mail address answers the same way whether the address has an account or not: it
queues the work (:mod:`.tasks`) and is limited per address and per client (:mod:`.limits`).
Links from e-mails open a page with a button: mail scanners that follow links do not
use them up. The link keeps its token in the session and redirects to that page, whose
address has none (:mod:`.links`).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import links, services, tasks
from .forms import ChangePasswordForm, EmailChangeForm, EmailForm, LoginForm, NewPasswordForm, SignUpForm
from .limits import count_mail_request
from .models import AccountToken
from .policy import actor_for
from .tokens import peek_token

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
GET_POST = require_http_methods(["GET", "POST"])
ACTIVATION = AccountToken.Purpose.ACTIVATION
PASSWORD_RESET = AccountToken.Purpose.PASSWORD_RESET
EMAIL_CHANGE = AccountToken.Purpose.EMAIL_CHANGE
#: Status of a form refused because of the limits (:mod:`.limits`).
TOO_MANY_REQUESTS = 429


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _sign_in(request, user):
    login(request, user, backend=MODEL_BACKEND)  # a new session key
    request.session["auth_method"] = services.LOCAL_AUTH


def _closed(request, window=None):
    window = window or services.signin_window(request.site)
    return render(request, "accounts/closed.html", {"window": window, "today": timezone.localdate()}, status=403)


def _link_invalid(request, kind):
    return render(request, "accounts/link_invalid.html", {"kind": kind}, status=410)


def _open_link(request, purpose, token, form_url, kind):
    """The link of an e-mail: keep its token in the session, show the page without it."""
    if peek_token(token, purpose) is None:
        return _link_invalid(request, kind)
    return links.follow(request, purpose, token, form_url)


def _limited(request, form, email):
    """Count the request; False, or True with the form saying when to try again (nothing is sent)."""
    refusal = count_mail_request(request, email)
    if refusal:
        form.add_error(None, refusal)
    return bool(refusal)


# --- Sign-up and activation ---------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password1", "password2")
@GET_POST
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:after_sign_in")
    window = services.signin_window(request.site)
    if not window.is_open:
        return _closed(request, window)
    status = 200
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not _limited(request, form, data["email"]):
                tasks.queue_sign_up(
                    request.site,
                    population=data["population"],
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
                return redirect("accounts:mail_sent", kind="signup")
            status = TOO_MANY_REQUESTS
    else:
        population = request.GET.get("population")
        form = SignUpForm(initial={"population": population if population in services.LOCAL_POPULATIONS else None})
    return render(request, "accounts/signup.html", {"form": form}, status=status)


MAIL_SENT_KINDS = ("signup", "activation", "password_reset", "email_change")


@never_cache
def mail_sent(request, kind):
    if kind not in MAIL_SENT_KINDS:
        raise Http404
    return render(request, "accounts/mail_sent.html", {"kind": kind})


@never_cache
@GET_POST
def activate(request, token):
    return _open_link(request, ACTIVATION, token, "accounts:activate_form", "activation")


@never_cache
@GET_POST
def activate_form(request):
    token = links.kept(request, ACTIVATION)
    if peek_token(token, ACTIVATION) is None:
        return _link_invalid(request, "activation")
    if request.method == "GET":
        return render(request, "accounts/activate.html")
    user = services.activate(token)
    links.forget(request, ACTIVATION)
    if user is None:
        return _link_invalid(request, "activation")
    if not services.first_sign_in_allowed(user, request.site):
        return _closed(request)
    _sign_in(request, user)
    return redirect("accounts:after_sign_in")


@never_cache
@GET_POST
def resend_activation(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, form, form.cleaned_data["email"]):
            return render(request, "accounts/resend_activation.html", {"form": form}, status=TOO_MANY_REQUESTS)
        tasks.queue_activation_link(request.site, form.cleaned_data["email"])
        return redirect("accounts:mail_sent", kind="activation")
    return render(request, "accounts/resend_activation.html", {"form": form})


# --- Signing in and out -------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
@GET_POST
def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # django-axes counts failures per account (apps.accounts.lockout.failure_key), on every path.
        user = authenticate(request=request, email=data["email"], password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            form.add_error(None, _("Wrong e-mail address or password, or account not activated yet."))
        elif not services.first_sign_in_allowed(user, request.site):
            return _closed(request)
        else:
            _sign_in(request, user)
            return redirect(next_url or "accounts:after_sign_in")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def locked_out(request, *args, **kwargs):
    """The page shown after too many failed sign-ins; also django-axes' AXES_LOCKOUT_CALLABLE."""
    cooloff = settings.AXES_COOLOFF_TIME
    if isinstance(cooloff, (int, float)):
        cooloff = timedelta(hours=cooloff)
    minutes = max(1, round(cooloff.total_seconds() / 60)) if isinstance(cooloff, timedelta) else 60
    if minutes % 60 == 0:
        hours = minutes // 60
        duration = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    else:
        duration = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return render(request, "accounts/locked_out.html", {"duration": duration}, status=429)


@never_cache
@GET_POST
def logout_view(request):
    if request.method == "GET":
        return render(request, "accounts/logout.html")
    if request.session.get("auth_method") in services.FEDERATED_AUTH_METHODS and request.user.is_authenticated:
        return redirect("federation:logout")
    logout(request)
    return redirect("portal:home")


@never_cache
@login_required
def after_sign_in(request):
    next_url = _safe_next(request)
    if next_url:
        return redirect(next_url)
    if actor_for(request.user, request.site).is_staff:
        return redirect("staff:home")
    return redirect("records:home")


# --- Passwords ----------------------------------------------------------------------------


@never_cache
@GET_POST
def password_reset(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, form, form.cleaned_data["email"]):
            return render(request, "accounts/password_reset.html", {"form": form}, status=TOO_MANY_REQUESTS)
        tasks.queue_password_reset(request.site, form.cleaned_data["email"])
        return redirect("accounts:mail_sent", kind="password_reset")
    return render(request, "accounts/password_reset.html", {"form": form})


@never_cache
@GET_POST
def password_reset_confirm(request, token):
    return _open_link(request, PASSWORD_RESET, token, "accounts:password_reset_form", "password_reset")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@GET_POST
def password_reset_form(request):
    token = links.kept(request, PASSWORD_RESET)
    found = peek_token(token, PASSWORD_RESET)
    if found is None:
        return _link_invalid(request, "password_reset")
    form = NewPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Who is signed in here must be read before the password changes (it ends their session).
        signed_in_here = request.user.is_authenticated and request.user.pk == found.user_id
        user = services.reset_password(token, form.cleaned_data["new_password1"])
        links.forget(request, PASSWORD_RESET)
        if user is None:
            return _link_invalid(request, "password_reset")
        if signed_in_here:
            update_session_auth_hash(request, user)
        messages.success(request, _("Your password is changed. You can sign in with it."))
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@GET_POST
def password_change(request):
    form = ChangePasswordForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays open, the others end
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:after_sign_in")
    return render(request, "accounts/password_change.html", {"form": form})


# --- E-mail change ------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
@login_required
@GET_POST
def email_change(request):
    form = EmailChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        if _limited(request, form, form.cleaned_data["new_email"]):
            return render(request, "accounts/email_change.html", {"form": form}, status=TOO_MANY_REQUESTS)
        services.request_email_change(request.user, form.cleaned_data["new_email"], request.site)
        return redirect("accounts:mail_sent", kind="email_change")
    return render(request, "accounts/email_change.html", {"form": form})


@never_cache
@GET_POST
def email_change_confirm(request, token):
    return _open_link(request, EMAIL_CHANGE, token, "accounts:email_change_form", "email_change")


@never_cache
@GET_POST
def email_change_form(request):
    token = links.kept(request, EMAIL_CHANGE)
    found = peek_token(token, EMAIL_CHANGE)
    if found is None:
        return _link_invalid(request, "email_change")
    if request.method == "GET":
        return render(request, "accounts/email_change_confirm.html", {"new_email": found.payload.get("email", "")})
    user = services.confirm_email_change(token)
    links.forget(request, EMAIL_CHANGE)
    if user is None:
        return _link_invalid(request, "email_change")
    messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": user.email})
    return redirect("accounts:after_sign_in" if request.user.is_authenticated else "accounts:login")
