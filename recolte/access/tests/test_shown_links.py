"""A page never shows a link its reader cannot follow: every role walks the programme's pages
and no link found there answers 403 (an action the role lacks must not be offered)."""

import re
from collections import deque

import pytest
from django.test import Client

from recolte.access.models import Role
from recolte.testing import PASSWORD

HREF = re.compile(r'href="(/[^"#?]*)')
# Downloads and the admin are not pages of the programme; logging out ends the walk.
SKIP = re.compile(r"^/(static|media|admin|accounts/logout|i18n)/|\.(csv|xlsx|json|zip|docx)$")
LIMIT = 120  # pages per role: the test world's whole programme fits well inside


def _walk(client: Client, start: list[str]) -> dict[str, tuple[int, str]]:
    """Every internal link reachable from `start`: url -> (status, page it was found on)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque((url, "start") for url in start)
    while queue and len(seen) < LIMIT:
        url, found_on = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        response = client.get(url)
        seen[url] = (response.status_code, found_on)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend((link, url) for link in HREF.findall(response.content.decode()))
    return seen


@pytest.mark.parametrize(
    "role", [Role.READER, Role.CONTRIBUTOR, Role.TEAM, Role.FACILITATOR, Role.ADMIN]
)
def test_no_page_links_to_a_refused_page(world, role):
    client = Client()
    assert client.login(username=world.users[role].username, password=PASSWORD)
    seen = _walk(client, ["/", f"/p/{world.programme.slug}/"])
    refused = {url: on for url, (status, on) in seen.items() if status == 403}
    assert not refused, f"{role} is shown links it may not follow: {refused}"
    assert len(seen) > 10  # the walk went through the programme, not only the home page
