"""The message confirming that a person deleted their account."""

from django.utils.translation import gettext_lazy

from apps.notifications.registry import MessageSpec, Variable, register

register(
    MessageSpec(
        key="privacy_account_deleted",
        group=gettext_lazy("Account"),
        label=gettext_lazy("Account deleted at the person's request"),
        recipients=gettext_lazy("the former account holder"),
        subject=gettext_lazy("Your account on {{ site_name }} is deleted"),
        body=gettext_lazy(
            "Hello {{ first_name }},\n\n"
            "As you asked, your account is deleted, with your records, your documents and your roles on every "
            "site of the platform. Your registrations are cancelled.\n\n"
            "If you did not ask for it, contact the site: {{ site_url }}/\n\n"
            "{{ site_name }}\n"
        ),
        variables=(Variable("first_name", gettext_lazy("first name of the former account holder"), "Camille"),),
        build=lambda context: {"first_name": context["first_name"]},
    ),
)
