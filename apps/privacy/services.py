"""Write side of personal data: consents, and the deletion of one's own account.

Both leave their row in the action log. An account's deletion is logged on each site where
the person held a role before anything goes; then the person's entries in the log are
pseudonymised (see :mod:`apps.privacy.pseudonyms`), as the account stops existing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleAssignment
from apps.audit.services import changes, log_action, pseudonymise_person, snapshot
from apps.notifications.services import send_message
from apps.records.models import PupilRecord
from apps.registrations.models import Registration, Status
from apps.registrations.services import cancel_registration
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site, platform_job

from .pseudonyms import pseudonymise_people, staff_ids
from .userdata import delete_stored_files_on_commit, stored_files_deleted_with

CONSENT_FIELDS = ("consent_high_school_sees_immersions", "consent_name_visible_to_registrants")


class DeletionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def update_consents(site, user, *, high_school_sees_immersions, name_visible_to_registrants):
    """Change the consents of the person's pupil record on this site; its status never changes.

    Returns the number of records changed (0: no pupil record here).
    """
    record = PupilRecord.objects.select_for_update().filter(site=site, user=user).select_related("user").first()
    if record is None:
        return 0
    before = snapshot(record, CONSENT_FIELDS)
    record.consent_high_school_sees_immersions = high_school_sees_immersions
    record.consent_name_visible_to_registrants = name_visible_to_registrants
    PupilRecord.objects.filter(pk=record.pk).update(
        consent_high_school_sees_immersions=high_school_sees_immersions,
        consent_name_visible_to_registrants=name_visible_to_registrants,
        updated_at=timezone.now(),
    )
    data = changes(before, record, CONSENT_FIELDS)
    if data:
        log_action("privacy.consents.changed", site=site, actor=user, obj=record, subject=user, data=data)
    return 1


def deletion_blockers(user):
    """Why this person may not delete their own account (empty: they may)."""
    if user.is_operator or user.is_superuser:
        return [_("A platform operator's account cannot be deleted here: ask another operator.")]
    with platform_job():
        masters = RoleAssignment.objects.filter(role=Role.MASTER_REFERENT)
        my_sites = set(masters.filter(user=user).values_list("site_id", flat=True))
        if not my_sites:
            return []
        covered = set(masters.filter(site_id__in=my_sites).exclude(user=user).values_list("site_id", flat=True))
        alone = Site.objects.filter(pk__in=my_sites - covered).order_by("name")
        return [
            _(
                "You are the last master-establishment referent of %(site)s: "
                "give this role to someone else before deleting your account."
            )
            % {"site": site.name}
            for site in alone
        ]


@transaction.atomic
def delete_account(user, *, site=None):
    """Delete a person's account and everything attached to it, on every site.

    Active registrations are cancelled first (places freed, the person told), the stored
    files of every row deleted with the account are removed once the deletion is committed,
    and a last message confirms the deletion. Raises :class:`DeletionRefused`.
    """
    blockers = deletion_blockers(user)
    if blockers:
        raise DeletionRefused(blockers[0])
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    with platform_job():
        registrations = list(
            Registration.objects.filter(person=user, status=Status.ACTIVE).select_related("site").order_by("pk")
        )
    for registration in registrations:
        with for_site(registration.site):
            cancel_registration(registration, by=user, notify=True)
        # The cancellation message is sent after commit, when the account no longer exists:
        # give it the person as they were.
        registration.person = user
    _log_deletion(user, site)
    files = stored_files_deleted_with([user])
    address, language, first_name = user.email, user.preferred_language, user.first_name
    try:
        with platform_job():
            user.delete()
    except (ProtectedError, RestrictedError) as error:
        raise DeletionRefused(_("Your account cannot be deleted yet: please contact the site.")) from error
    delete_stored_files_on_commit(files)
    transaction.on_commit(
        lambda: send_message(
            "privacy_account_deleted",
            to=address,
            site=site,
            language=language,
            context={"first_name": first_name},
        )
    )


def _log_deletion(user, site):
    """The deletion, in the log of each site where the person held a role; then their name goes
    from the log (a staff member keeps it on what they did to others)."""
    with platform_job():
        site_ids = set(RoleAssignment.objects.filter(user=user).values_list("site_id", flat=True))
        sites = list(Site.objects.filter(pk__in=site_ids | ({site.pk} if site is not None else set())))
    for each in sites:
        with for_site(each):
            log_action("privacy.account.deleted", site=each, actor=user, obj=user, subject=user)
    if staff_ids([user.pk]):
        pseudonymise_people([user])
    else:
        pseudonymise_person(user)
