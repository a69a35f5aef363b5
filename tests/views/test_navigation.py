"""The main navigation marks exactly one item as the current page, whatever the page."""

import re

import pytest
from django.core.management import call_command

from tests.browser.test_layout import CONTENT

CURRENT = re.compile(r'<a href="[^"]*" aria-current="page">([^<]+)</a>')


@pytest.fixture
def lambda_deck(db):
    call_command("import_notes", str(CONTENT / "aws-lambda"), verbosity=0)


@pytest.mark.parametrize(
    ("url", "item"),
    [
        ("/", "Dashboard"),
        ("/settings/study/", "Dashboard"),
        ("/decks/", "Decks"),
        ("/decks/aws-lambda/", "Decks"),
        ("/decks/aws-lambda/notes/06-lambda-pricing/", "Decks"),
        ("/decks/aws-lambda/notes/06-lambda-pricing/cards/", "Decks"),
        ("/study/", "Study"),
        ("/study/deck/aws-lambda/", "Study"),
        ("/study/deck/aws-lambda/note/06-lambda-pricing/", "Study"),
        ("/study/custom/", "Study"),
        ("/browse/", "Browse"),
        ("/browse/?q=is:leech", "Browse"),
        ("/quiz/", "Exams"),
        ("/calculators/pricing/", "Calculators"),
        ("/calculators/limits/", "Calculators"),
        ("/stats/", "Statistics"),
    ],
)
def test_exactly_one_navigation_item_is_current(charlie_client, lambda_deck, url, item):
    page = charlie_client.get(url).content.decode()
    nav = page.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert CURRENT.findall(nav) == [item], f"{url} marks {CURRENT.findall(nav)}"
