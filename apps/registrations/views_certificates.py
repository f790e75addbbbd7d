"""Attendance certificates: /my-immersions/<pk>/certificate.pdf.

Only for a registration whose attendance is "present" or "attended remotely", and only for the
registrant, the host's managers, and whoever may see the registrant's immersions (the policy's
``may_see_immersions_of``: a referent of the pupil's high school when the pupil consented).
Anybody else gets 404 (the certificate's existence is not disclosed).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from apps.accounts.policy import Action, can, may_see_immersions_of
from apps.records.models import PupilRecord

from . import pdf
from .log import record_download
from .models import Attendance, Registration, Status

RELATED = (
    "person",
    "slot__course__training__structure__establishment",
    "slot__course__training__high_school",
    "slot__event__establishment",
    "slot__event__structure__establishment",
    "slot__event__high_school",
    "slot__campus",
    "slot__building",
    "slot__place_high_school",
)


def _may_download(user, registration, site):
    if registration.person_id == user.pk:
        return True
    if can(user, Action.CHANGE, registration.slot, site):
        return True
    # Anybody else: whoever may see the person's immersions (a referent of the pupil's high school
    # when the pupil shared them with it).
    record = PupilRecord.objects.filter(site=site, user_id=registration.person_id).first()
    return may_see_immersions_of(user, record, site)


@login_required
@require_GET
def certificate(request, pk):
    site = request.site
    registration = (
        Registration.objects.filter(
            site=site, pk=pk, status=Status.ACTIVE, attendance__in=(Attendance.PRESENT, Attendance.REMOTE)
        )
        .select_related(*RELATED)
        .first()
    )
    if registration is None or not _may_download(request.user, registration, site):
        raise Http404
    record_download("certificate", registration, actor=request.user, subject=registration.person)
    content = pdf.certificate_pdf(registration, site=site)
    return pdf.pdf_response(content, pdf.certificate_filename(registration))
