"""Work in progress (issue 5)."""

from django.http import Http404


def pupils_immersions(request, *args, **kwargs):
    raise Http404


def register_pupils(request, *args, **kwargs):
    raise Http404


def cancel_pupil_registration(request, *args, **kwargs):
    raise Http404


def groups(request, *args, **kwargs):
    raise Http404


def register_group(request, *args, **kwargs):
    raise Http404


def cancel_group(request, *args, **kwargs):
    raise Http404


def class_list(request, *args, **kwargs):
    raise Http404
