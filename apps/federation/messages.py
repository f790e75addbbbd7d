"""The messages of a pupil who signed in with EduConnect and gave an e-mail address."""

from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register

GROUP = gettext_lazy("Account")


def _confirmation(context):
    return {"first_name": context["user"].first_name, "confirm_url": context["base_url"] + context["link"]}


register(
    MessageSpec(
        key="federation_email_confirmation",
        group=GROUP,
        label=gettext_lazy("EduConnect: confirm the e-mail address"),
        recipients=gettext_lazy("the address given after an EduConnect sign-in"),
        subject=gettext_lazy("Confirm your e-mail address on {{ site_name }}"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "To confirm this e-mail address for your account, open this link:\n"
            "{{ confirm_url }}\n\n"
            "The link works once, for 24 hours. If you did not ask for it, ignore this message.\n"
        ),
        variables=(
            Variable("first_name", gettext_lazy("first name of the account holder"), "Camille"),
            Variable(
                "confirm_url",
                gettext_lazy("the confirmation link"),
                "https://immersion.example.org/sign-in/email/confirm/Zx8kq2v1/",
            ),
        ),
        build=_confirmation,
    ),
    MessageSpec(
        key="federation_email_in_use",
        group=GROUP,
        label=gettext_lazy("EduConnect: the address is already used"),
        recipients=gettext_lazy("the owner of the address"),
        subject=gettext_lazy("Your e-mail address on {{ site_name }}"),
        body=gettext_lazy(
            "Hello,\n\n"
            "Someone signed in with EduConnect and gave this e-mail address, but an account already uses it.\n"
            "If it was you, sign in with your existing account instead. Otherwise, ignore this message.\n"
            "{{ site_url }}\n"
        ),
    ),
)
