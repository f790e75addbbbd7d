def current_site(request):
    return {"site": getattr(request, "site", None)}
