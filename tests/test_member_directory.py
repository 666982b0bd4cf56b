"""The members' directory: each delegation's members, and observers apart from them."""

import pytest

pytestmark = pytest.mark.django_db


def _section(page: str, heading: str) -> str:
    """The list under an <h3> heading of the directory."""
    return page.split(f'<h3 class="h6">{heading}</h3>', 1)[1].split("</ul>", 1)[0]


def test_observers_are_listed_apart_from_the_delegations(client, world, sign_in):
    sign_in(world.azizi)
    page = client.get("/members/").content.decode()
    observer = world.observer.memberships.get()
    kazakh_delegation = _section(page, "Kazakhstan")
    observers = _section(page, "Observers")
    assert f'id="member-{observer.pk}"' not in kazakh_delegation
    assert f'id="member-{observer.pk}"' in observers
    assert "Party: Kazakhstan" in observers
    # The delegation still lists its own.
    assert f'id="member-{world.torebayev.memberships.get().pk}"' in kazakh_delegation


def test_without_observers_there_is_no_observers_list(client, world, sign_in):
    world.observer.memberships.update(is_active=False)
    sign_in(world.azizi)
    assert "Observers" not in client.get("/members/").content.decode()
