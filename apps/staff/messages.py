"""The messages of staff invitations and roles."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register

GROUP = gettext_lazy("Account")

INVITATION_VARIABLES = (
    Variable("first_name", gettext_lazy("first name of the invited person"), "Dominique"),
    Variable("inviter_name", gettext_lazy("full name of the person who gave the role"), "Claire Meyer"),
    Variable("role", gettext_lazy("the role given"), "Référent de structure d'accueil"),
    Variable("scope", gettext_lazy("where the role applies (may be empty)"), "Sciences"),
)
SIGN_IN_URL = Variable(
    "sign_in_url",
    gettext_lazy("address of the staff sign-in page"),
    "https://immersion.example.org/sign-in/?population=staff",
)


def _staff_sign_in(base_url):
    try:
        return base_url + reverse("federation:sign_in") + "?population=staff"
    except NoReverseMatch:
        return base_url


def _invitation(context):
    person = context["person"]
    inviter = context.get("inviter")
    values = {
        "first_name": person.first_name,
        "email": person.email,
        # The person who granted the role; the site itself when their account is gone.
        "inviter_name": inviter.get_full_name() if inviter else getattr(context.get("site"), "name", ""),
        "role": context["role"],
        "scope": context.get("scope") or "",
        "sign_in_url": _staff_sign_in(context["base_url"]),
    }
    if context.get("accept_path"):
        values["accept_url"] = context["base_url"] + context["accept_path"]
    return values


register(
    MessageSpec(
        key="staff_invitation",
        group=GROUP,
        label=gettext_lazy("Staff invitation (new local account)"),
        recipients=gettext_lazy("the invited person"),
        subject=gettext_lazy("You are invited to {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ inviter_name }} invites you to {{ site_name }}, where you now hold this role:\n"
            "{{ role }}{% if scope %} — {{ scope }}{% endif %}\n\n"
            "To choose your password and sign in, follow this link:\n"
            "{{ accept_url }}\n\n"
            "The link can be used once and expires in 14 days.\n"
            "If you did not expect this message, you may ignore it.\n"
        ),
        variables=(
            *INVITATION_VARIABLES,
            Variable(
                "accept_url",
                gettext_lazy("the link to choose a password"),
                "https://immersion.example.org/back-office/staff/invitation/Zx8kq2v1/",
            ),
        ),
        build=_invitation,
    ),
    MessageSpec(
        key="staff_invitation_federated",
        group=GROUP,
        label=gettext_lazy("Staff invitation (institution account)"),
        recipients=gettext_lazy("the invited person"),
        subject=gettext_lazy("You are invited to {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ inviter_name }} invites you to {{ site_name }}, where you now hold this role:\n"
            "{{ role }}{% if scope %} — {{ scope }}{% endif %}\n\n"
            "Your account is ready: sign in with your institution's account (CAS or the education-and-research "
            "federation), using the address {{ email }}.\n"
            "{{ sign_in_url }}\n\n"
            "If you did not expect this message, you may ignore it.\n"
        ),
        variables=(
            *INVITATION_VARIABLES,
            Variable("email", gettext_lazy("e-mail address of the invited person"), "dominique.muller@unistra.fr"),
            SIGN_IN_URL,
        ),
        build=_invitation,
    ),
    MessageSpec(
        key="staff_role_granted",
        group=GROUP,
        label=gettext_lazy("New staff role"),
        recipients=gettext_lazy("the person given the role"),
        subject=gettext_lazy("A new role for you on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "{{ inviter_name }} has given you this role on {{ site_name }}:\n"
            "{{ role }}{% if scope %} — {{ scope }}{% endif %}\n\n"
            "Sign in as usual to use it:\n"
            "{{ sign_in_url }}\n"
        ),
        variables=(*INVITATION_VARIABLES, SIGN_IN_URL),
        build=_invitation,
    ),
)
