"""Work in progress (issue 5)."""

from django.http import Http404


def mine(request, *args, **kwargs):
    raise Http404


def register(request, *args, **kwargs):
    raise Http404


def cancel(request, *args, **kwargs):
    raise Http404


def join_waiting_list(request, *args, **kwargs):
    raise Http404


def leave_waiting_list(request, *args, **kwargs):
    raise Http404


def claim_offer(request, *args, **kwargs):
    raise Http404


def course_alert(request, *args, **kwargs):
    raise Http404


def calendar(request, *args, **kwargs):
    raise Http404


def ical_feed(request, *args, **kwargs):
    raise Http404
