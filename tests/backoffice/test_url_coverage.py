"""Every back-office URL is walked by a permission matrix (each area's tests list what they cover)."""

import importlib
import pkgutil

from django.urls import get_resolver

import tests.backoffice as package


def _backoffice_url_names():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["backoffice"][1]
    return {name for name in namespace.reverse_dict if isinstance(name, str)}


def _covered_names():
    covered = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        covered |= {name.removeprefix("backoffice:") for name in getattr(module, "URL_NAMES", ())}
    return covered


def test_every_back_office_url_is_covered_by_a_permission_matrix():
    missing = _backoffice_url_names() - _covered_names() - {"home"}
    assert not missing, f"back-office URLs without a permission matrix: {sorted(missing)}"


def test_the_back_office_entry_is_the_staff_home_and_refuses_others(client, world):
    from django.urls import reverse

    url = reverse("backoffice:home")
    assert url == reverse("staff:home") == "/back-office/"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    assert reverse("federation:sign_in") in client.get(url).url
    client.force_login(world.structure_referent)
    response = client.get(url)
    assert response.status_code == 200 and response.context["groups"]
    client.force_login(world.pupil)
    assert client.get(url).status_code == 403
