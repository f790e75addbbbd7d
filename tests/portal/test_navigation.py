"""The main menu: the public offer for everyone, the personal links by role."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client, user=None):
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    content = client.get(reverse("portal:offer")).content.decode()
    return re.search(r'<div class="collapse navbar-collapse" id="main-menu">(.*?)</ul>', content, re.S).group(1)


def test_everyone_sees_the_offer_links(client, world):
    menu = _menu(client)

    for name in ("portal:offer", "portal:events", "portal:search", "content:resources"):
        assert f'href="{reverse(name)}"' in menu
    assert f'href="{reverse("portal:offer")}" aria-current="page"' in menu
    assert reverse("registrations:mine") not in menu


@pytest.mark.parametrize("who", ["pupil", "student", "visitor"])
def test_registrants_see_my_immersions(client, world, who):
    menu = _menu(client, getattr(world, who))

    assert f'href="{reverse("registrations:mine")}"' in menu
    assert reverse("registrations:pupils_immersions") not in menu


def test_high_school_referents_see_my_pupils(client, world):
    menu = _menu(client, world.high_school_referent)

    assert f'href="{reverse("registrations:pupils_immersions")}"' in menu
    assert f'href="{reverse("registrations:mine")}"' not in menu


@pytest.mark.parametrize("who", ["structure_referent", "speaker", "master_referent"])
def test_staff_see_neither(client, world, who):
    menu = _menu(client, getattr(world, who))

    assert reverse("registrations:mine") not in menu
    assert reverse("registrations:pupils_immersions") not in menu
