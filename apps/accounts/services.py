"""Account rules shared by every sign-in path (local, CAS, SAML, EduConnect)."""

from dataclasses import dataclass

from django.utils import timezone

from apps.academic_calendar.models import UniversityYear


@dataclass(frozen=True)
class SignInWindow:
    is_open: bool
    year: UniversityYear | None

    @property
    def opens_on(self):
        return self.year.accounts_open_date if self.year else None

    @property
    def closes_on(self):
        return self.year.end_date if self.year else None


def signin_window(site, today=None) -> SignInWindow:
    """Sign-up and first sign-in are open from the current year's opening date to its end."""
    today = today or timezone.localdate()
    year = UniversityYear.objects.filter(site=site, is_active=True).first()
    if year is None:
        return SignInWindow(False, None)
    return SignInWindow(year.accounts_open_date <= today <= year.end_date, year)
