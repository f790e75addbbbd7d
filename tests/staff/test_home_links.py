"""The back-office home links each role to the pages it may use, and only those."""

import pytest
from django.urls import reverse

LINKS = {
    "task-courses": "backoffice:offer_course_list",
    "task-slots": "backoffice:slots_list",
    "task-my-slots": "backoffice:offer_my_slots",
    "task-establishments": "backoffice:organisations_establishment_list",
    "task-high-schools": "backoffice:organisations_highschool_list",
    "task-reference": "backoffice:reference_index",
    "task-calendar": "backoffice:reference_years",
    "task-site-settings": "backoffice:reference_site_settings",
    "task-public-texts": "backoffice:content_index",
}
EXPECTED = {
    "master_referent": {
        "task-courses",
        "task-slots",
        "task-establishments",
        "task-high-schools",
        "task-reference",
        "task-calendar",
        "task-site-settings",
        "task-public-texts",
    },
    "establishment_referent": {"task-courses", "task-slots", "task-establishments"},
    "structure_referent": {"task-courses", "task-slots"},
    "consultant": {"task-courses", "task-slots"},
    "speaker": {"task-my-slots"},
    "high_school_referent": set(),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_home_links_follow_the_roles(client, world, who):
    client.force_login(getattr(world, who))
    page = client.get(reverse("staff:home")).content.decode()
    shown = {task for task in LINKS if f'id="{task}"' in page}
    assert shown == EXPECTED[who]
    for task in shown:
        assert client.get(reverse(LINKS[task])).status_code in (200, 302)  # the linked page opens
