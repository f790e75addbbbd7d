"""The messages about accounts: activation, password reset, change of e-mail address."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register

GROUP = gettext_lazy("Account")

FIRST_NAME = Variable("first_name", gettext_lazy("first name of the account holder"), "Camille")
CONTACT_EMAIL = Variable(
    "contact_email", gettext_lazy("contact address of the site (may be empty)"), "contact@immersion.example.org"
)


def _url(context, name, *args):
    return context["base_url"] + reverse(name, args=args)


def _first_name(context):
    return {"first_name": context["user"].first_name}


def _with_token(url_name, variable):
    def build(context):
        return {**_first_name(context), variable: _url(context, url_name, context["token"])}

    return build


def _account_exists(context):
    token = context.get("token")
    return {
        **_first_name(context),
        "activation_url": _url(context, "accounts:activate", token) if token else "",
        "login_url": _url(context, "accounts:login"),
        "password_reset_url": _url(context, "accounts:password_reset"),
        "federation_url": _url(context, "federation:sign_in"),
    }


def _contact(context):
    site = context.get("site")
    return {**_first_name(context), "contact_email": getattr(site, "contact_email", "") or ""}


def _email_change_notice(context):
    return {
        **_contact(context),
        "new_email": context["new_email"],
        "password_reset_url": _url(context, "accounts:password_reset"),
    }


register(
    MessageSpec(
        key="account_activation",
        group=GROUP,
        label=gettext_lazy("Account activation"),
        recipients=gettext_lazy("the person who created an account"),
        subject=gettext_lazy("Activate your account on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "An account was created on {{ site_name }} with this e-mail address. To activate it, "
            "open this link within three days:\n\n"
            "{{ activation_url }}\n\n"
            "If you did not create this account, ignore this message: the account will be deleted automatically.\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable(
                "activation_url",
                gettext_lazy("the activation link"),
                "https://immersion.example.org/account/activation/Zx8kq2v1/",
            ),
        ),
        build=_with_token("accounts:activate", "activation_url"),
    ),
    MessageSpec(
        key="account_exists",
        group=GROUP,
        label=gettext_lazy("Sign-up with an address that already has an account"),
        recipients=gettext_lazy("the owner of the address"),
        subject=gettext_lazy("You already have an account on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Someone, probably you, tried to create an account on {{ site_name }} with this e-mail address. "
            "You already have an account with it: no new account was created.\n"
            "{% if activation_url %}\n"
            "Your account is not activated yet. To activate it, open this link within three days:\n\n"
            "{{ activation_url }}\n"
            "{% else %}\n"
            "Sign in with your usual password:\n\n"
            "{{ login_url }}\n\n"
            "Forgotten password? Choose a new one here:\n\n"
            "{{ password_reset_url }}\n\n"
            "If you sign in with EduConnect or with your university, use the same way again:\n\n"
            "{{ federation_url }}\n"
            "{% endif %}\n"
            "Your account is the same on every site of the platform: if you have not used {{ site_name }} yet, "
            "sign in there, then choose your profile and complete your record for this site.\n\n"
            "If you did not ask for anything, ignore this message: your account is unchanged.\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable(
                "activation_url",
                gettext_lazy("the activation link, only when the account was never activated (else empty)"),
                "https://immersion.example.org/account/activation/Zx8kq2v1/",
            ),
            Variable(
                "login_url", gettext_lazy("address of the sign-in page"), "https://immersion.example.org/account/login/"
            ),
            Variable(
                "password_reset_url",
                gettext_lazy("address of the forgotten-password page"),
                "https://immersion.example.org/account/password/reset/",
            ),
            Variable(
                "federation_url",
                gettext_lazy("address of the EduConnect / university sign-in page"),
                "https://immersion.example.org/sign-in/",
            ),
        ),
        build=_account_exists,
    ),
    MessageSpec(
        key="password_reset",
        group=GROUP,
        label=gettext_lazy("Password reset"),
        recipients=gettext_lazy("the account holder"),
        subject=gettext_lazy("Choose a new password on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Someone, probably you, asked to choose a new password for your account. To do so, "
            "open this link within two hours:\n\n"
            "{{ reset_url }}\n\n"
            "If you did not ask for it, ignore this message: your password is unchanged.\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable(
                "reset_url",
                gettext_lazy("the link to choose a new password"),
                "https://immersion.example.org/account/password/reset/Zx8kq2v1/",
            ),
        ),
        build=_with_token("accounts:password_reset_confirm", "reset_url"),
    ),
    MessageSpec(
        key="email_change_confirm",
        group=GROUP,
        label=gettext_lazy("E-mail change: confirmation"),
        recipients=gettext_lazy("the new address"),
        subject=gettext_lazy("Confirm your new e-mail address on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "You asked to use this address for your account on {{ site_name }}. To confirm, "
            "open this link within 24 hours:\n\n"
            "{{ confirm_url }}\n\n"
            "If you did not ask for it, ignore this message: nothing will change.\n\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable(
                "confirm_url",
                gettext_lazy("the confirmation link"),
                "https://immersion.example.org/account/e-mail/Zx8kq2v1/",
            ),
        ),
        build=_with_token("accounts:email_change_confirm", "confirm_url"),
    ),
    MessageSpec(
        key="email_change_notice",
        group=GROUP,
        label=gettext_lazy("E-mail change: notice to the current address"),
        recipients=gettext_lazy("the current address of the account"),
        subject=gettext_lazy("Change of your e-mail address on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Someone signed in to your account asked to replace this e-mail address with {{ new_email }}. "
            "The change is made only when the link sent to the new address is followed.\n\n"
            "If it was not you, change your password now, and write to us:\n\n"
            "{{ password_reset_url }}\n"
            "{% if contact_email %}{{ contact_email }}\n{% endif %}\n"
            "{{ site_name }}\n"
        ),
        variables=(
            FIRST_NAME,
            Variable("new_email", gettext_lazy("the new address asked for"), "camille.durand@example.org"),
            Variable(
                "password_reset_url",
                gettext_lazy("address of the forgotten-password page"),
                "https://immersion.example.org/account/password/reset/",
            ),
            CONTACT_EMAIL,
        ),
        build=_email_change_notice,
    ),
    MessageSpec(
        key="email_taken_notice",
        group=GROUP,
        label=gettext_lazy("E-mail change: the address is already used"),
        recipients=gettext_lazy("the owner of the address"),
        subject=gettext_lazy("Someone tried to use your e-mail address on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "Someone tried to move another account to this e-mail address. It already belongs to your account: "
            "nothing was changed, and your account is safe.\n\n"
            "If it was you, with a second account, write to us to have the two accounts merged instead.\n"
            "{% if contact_email %}{{ contact_email }}\n{% endif %}\n"
            "{{ site_name }}\n"
        ),
        variables=(FIRST_NAME, CONTACT_EMAIL),
        build=_contact,
    ),
)
