from django.shortcuts import render

from . import selectors


def home(request):
    site = request.site
    context = {
        "figures": selectors.home_figures(site),
        "next_slots": selectors.next_slots(site),
    }
    return render(request, "portal/home.html", context)


def slot(request, pk):  # work in progress (issue 5)
    from django.http import Http404

    raise Http404
