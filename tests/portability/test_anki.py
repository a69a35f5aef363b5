"""The Anki package: what Anki would find inside it, and ids that stay put across exports."""

import io
import sqlite3
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, Deck
from cards.portability.anki import BASIC, CLOZE, write_apkg

NOTE = """---
tags: [aws, serverless compute]
---
# AWS Lambda

## Limits

- What is the maximum timeout? :: 900 seconds
- Firecracker ::: the micro-VM that isolates each environment
- The largest deployment package unzipped is ==250 MB== and zipped is ==50 MB==.

## Pricing model

- Billing granularity: per millisecond of duration
"""


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("lambda.md", NOTE.encode())], deck_title="AWS Lambda")
    return Deck.objects.get(slug="lambda")


def read_apkg(data: bytes, tmp_path) -> dict:
    """Open the package the way Anki does: a zip holding an SQLite collection."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "collection.anki2" in package.namelist()
        path = tmp_path / "collection.anki2"
        path.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(path) as db:
        notes = db.execute("SELECT guid, mid, tags, flds FROM notes").fetchall()
        cards = db.execute("SELECT nid, did FROM cards").fetchall()
    return {
        "notes": [
            {"guid": g, "model": m, "tags": t.split(), "fields": f.split("\x1f")}
            for g, m, t, f in notes
        ],
        "cards": cards,
    }


def export(deck, tmp_path) -> dict:
    out = io.BytesIO()
    write_apkg(deck, out, base_url="https://study.example.com")
    return read_apkg(out.getvalue(), tmp_path)


def active_cards(deck):
    return Card.objects.filter(deck=deck, status=Card.Status.ACTIVE)


def test_package_holds_one_anki_card_per_active_card(deck, tmp_path):
    contents = export(deck, tmp_path)
    expected = active_cards(deck).count()
    assert expected >= 5, "the note makes basic, reversed, cloze and definition cards"
    assert len(contents["notes"]) == expected
    assert len(contents["cards"]) == expected, "every note gives exactly one Anki card"


def test_retired_cards_are_left_out(deck, tmp_path):
    shorter = NOTE.replace("- What is the maximum timeout? :: 900 seconds\n", "")
    import_deck("lambda", [NoteFile("lambda.md", shorter.encode())])
    assert Card.objects.filter(status=Card.Status.RETIRED).exists()
    contents = export(deck, tmp_path)
    assert len(contents["notes"]) == active_cards(deck).count()
    assert not any("maximum timeout" in n["fields"][0] for n in contents["notes"])


def test_second_export_keeps_every_guid_and_id(deck, tmp_path):
    first = export(deck, tmp_path)
    second = export(deck, tmp_path)
    assert sorted(n["guid"] for n in first["notes"]) == sorted(n["guid"] for n in second["notes"])
    assert {did for _, did in first["cards"]} == {did for _, did in second["cards"]}, "deck id"
    assert {n["model"] for n in first["notes"]} == {n["model"] for n in second["notes"]}


def test_guids_are_unique_per_card(deck, tmp_path):
    guids = [n["guid"] for n in export(deck, tmp_path)["notes"]]
    assert len(guids) == len(set(guids))


def test_cloze_cards_use_an_anki_cloze_deletion(deck, tmp_path):
    notes = export(deck, tmp_path)["notes"]
    cloze = [n for n in notes if n["model"] == CLOZE.model_id]
    assert len(cloze) == 2, "one cloze note per highlight"
    texts = sorted(n["fields"][0] for n in cloze)
    assert "{{c1::250 MB}} and zipped is 50 MB" in texts[0] + texts[1]
    assert all(text.count("{{c1::") == 1 for text in texts), "each asks one deletion"


def test_reversed_cards_are_basic_notes_with_sides_swapped(deck, tmp_path):
    notes = export(deck, tmp_path)["notes"]
    fronts = {n["fields"][0]: n["fields"][1] for n in notes if n["model"] == BASIC.model_id}
    micro_vm = "the micro-VM that isolates each environment"
    assert fronts["AWS Lambda Limits: Firecracker?"] == micro_vm
    assert fronts[f"AWS Lambda Limits: {micro_vm}?"] == "Firecracker"


def test_tags_hold_the_heading_path_without_spaces(deck, tmp_path):
    notes = export(deck, tmp_path)["notes"]
    timeout = next(n for n in notes if n["fields"][0] == "What is the maximum timeout?")
    assert "AWS_Lambda::Limits" in timeout["tags"]
    assert "serverless_compute" in timeout["tags"], "note tags come along"
    assert all(" " not in tag for n in notes for tag in n["tags"])


def test_source_field_links_back_to_the_line_of_the_note(deck, tmp_path):
    notes = export(deck, tmp_path)["notes"]
    timeout = next(n for n in notes if n["fields"][0] == "What is the maximum timeout?")
    card = Card.objects.get(front="What is the maximum timeout?")
    assert (
        f'href="https://study.example.com/decks/lambda/notes/lambda/#L{card.line}"'
        in timeout["fields"][2]
    )


def test_fields_hold_html_not_markdown(db, tmp_path):
    import_deck("md", [NoteFile("n.md", b"# T\n\n- What is **bold**? :: `code` here\n")])
    notes = export(Deck.objects.get(slug="md"), tmp_path)["notes"]
    assert notes[0]["fields"][0] == "What is <strong>bold</strong>?"
    assert "<code>code</code>" in notes[0]["fields"][1]


def test_command_writes_a_package(deck, tmp_path, capsys):
    out = tmp_path / "lambda.apkg"
    call_command("export_anki", "lambda", str(out), "--base-url", "http://example.org")
    contents = read_apkg(out.read_bytes(), tmp_path)
    assert len(contents["notes"]) == active_cards(deck).count()
    assert "http://example.org/decks/lambda/" in contents["notes"][0]["fields"][2]
    assert f"Wrote {active_cards(deck).count()} cards" in capsys.readouterr().out


def test_command_refuses_an_unknown_deck_in_one_line(db, tmp_path):
    with pytest.raises(CommandError, match="no deck 'nope'"):
        call_command("export_anki", "nope", str(tmp_path / "x.apkg"))


def test_command_refuses_a_missing_folder(deck, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_anki", "lambda", str(tmp_path / "missing" / "x.apkg"))
