"""The default deck in content/ imports cleanly and exercises the whole dialect."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cards.models import Card, Deck, Note

DECK = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"


@pytest.fixture
def report(db):
    out = StringIO()
    call_command("import_notes", str(DECK.parent), "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_default_deck_imports_with_no_warnings_or_errors(report):
    assert report["deck"] == "aws-lambda"
    assert report["errors"] == []
    assert report["warnings"] == [], report["warnings"][:5]
    assert report["notes"]["created"] >= 12
    assert Deck.objects.get().title == "AWS Lambda"


def test_default_deck_makes_every_kind_of_card(report):
    kinds = set(Card.objects.values_list("kind", flat=True))
    assert kinds == {"basic", "reversed", "cloze", "definition", "list", "table", "numeric"}


def test_default_deck_links_resolve_and_images_embed(report):
    html = "".join(Note.objects.values_list("html", flat=True))
    assert "wikilink broken" not in html
    assert "embed-missing" not in html
    assert 'src="/decks/aws-lambda/assets/images/s3-thumbnail-architecture.png"' in html


def test_default_deck_uses_every_dialect_feature():
    raw = {path.name: path.read_bytes() for path in DECK.glob("*.md")}
    text = b"\n".join(raw.values())
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw.values()), "a note with a BOM"
    assert any(b"\r\n" in data for data in raw.values()), "a note with CRLF line ends"
    for feature in [b"==", b"{{c1::", b"[[", b"|", b"![[", b"__", b":::", b"\n?\n", b"```", b"\t"]:
        assert feature in text.replace(b"\r\n", b"\n"), feature
    assert b" ##\n" in text.replace(b"\r\n", b"\n"), "a closed ATX heading"
    assert b"cards: explicit" in text


def test_reimporting_the_default_deck_changes_nothing(report, db):
    out = StringIO()
    call_command("import_notes", str(DECK.parent), "--json", stdout=out, stderr=StringIO())
    again = json.loads(out.getvalue())
    assert again["notes"]["unchanged"] == report["notes"]["created"]
    assert again["cards"] == {
        "created": 0,
        "updated": 0,
        "unchanged": report["cards"]["created"],
        "retired": 0,
    }
