"""A deck's cards as CSV, out and in."""

import csv
import io

import pytest

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, Deck, Note
from cards.portability.deck_csv import CsvError, import_csv, parse_csv, write_deck_csv

NOTE = """# Lambda limits

- What is the maximum timeout? :: 900 seconds
- How many layers can a function use? :: 5
- =SUM(1+1) looks like a formula? :: -and so does this
- Which runtimes are supported, e.g. "python3.12", "nodejs20.x"? :: Many, see the docs
"""


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    return Deck.objects.get(slug="lambda")


def fronts_and_backs(deck_slug):
    cards = Card.objects.filter(deck__slug=deck_slug, status=Card.Status.ACTIVE)
    return sorted(cards.values_list("front", "back"))


def csv_of(deck) -> str:
    out = io.StringIO()
    write_deck_csv(deck, out)
    return out.getvalue()


def test_csv_export_has_a_header_and_a_row_per_active_card(deck):
    rows = list(csv.reader(io.StringIO(csv_of(deck))))
    assert rows[0] == ["front", "back", "kind", "note", "heading", "tags"]
    assert len(rows) - 1 == Card.objects.filter(status=Card.Status.ACTIVE).count()
    assert rows[1][:4] == ["What is the maximum timeout?", "900 seconds", "basic", "limits.md"]
    assert rows[1][4] == "Lambda limits"


def test_csv_export_guards_cells_a_spreadsheet_would_run_as_formulas(deck):
    rows = list(csv.reader(io.StringIO(csv_of(deck))))
    formula = next(row for row in rows if "SUM" in row[0])
    assert formula[0].startswith("'="), "a spreadsheet must not evaluate the cell"
    assert formula[1].startswith("'-")


def test_csv_round_trip_gives_the_same_fronts_and_backs(deck):
    report = import_csv("copy", "lambda.csv", csv_of(deck).encode("utf-8-sig"))
    assert report.cards["created"] == 4
    assert fronts_and_backs("copy") == fronts_and_backs("lambda")
    assert Note.objects.filter(deck__slug="copy", path="imported/lambda.md").exists()


def test_csv_import_accepts_no_header_a_bom_and_crlf(db):
    data = "\ufeffWhat is S3?,Object storage\r\nWhat is SQS?,A queue\r\n".encode()
    report = import_csv("aws", "basics.csv", data)
    assert report.cards["created"] == 2
    assert fronts_and_backs("aws") == [
        ("What is S3?", "Object storage"),
        ("What is SQS?", "A queue"),
    ]


def test_csv_import_of_the_same_file_again_updates_its_note(db):
    import_csv("aws", "basics.csv", b"front,back\nWhat is S3?,Object storage\nOld,Gone\n")
    report = import_csv("aws", "basics.csv", b"front,back\nWhat is S3?,Storage for objects\n")
    assert report.cards["updated"] == 1 and report.cards["retired"] == 1
    assert Note.objects.filter(deck__slug="aws").count() == 1


def test_csv_import_makes_only_the_explicit_cards(db):
    report = import_csv("aws", "c.csv", b"Max timeout,==900 seconds== (15 minutes)\n")
    assert report.cards["created"] == 1, "a highlight in a back does not make a cloze card"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"just one column\nanother\n", "one column"),
        ("caf\xe9,bar\n".encode("latin-1"), "not UTF-8"),
        (b"front,back\n", "no cards"),
        (b"front,back\nQuestion,\n", "empty back"),
        (b"x" * (2 * 1024 * 1024 + 1), "limit is 2 MB"),
        (b"front,back\nok,fine\n" + b"q," + b"a" * 10_001 + b"\n", "Line 3: the back is 10,001"),
    ],
)
def test_bad_csv_is_refused_with_a_reason_and_changes_nothing(deck, data, reason):
    before = fronts_and_backs("lambda")
    with pytest.raises(CsvError, match=reason):
        import_csv("lambda", "bad.csv", data)
    assert fronts_and_backs("lambda") == before
    assert not Note.objects.filter(path="imported/bad.md").exists()


def test_semicolon_separated_csv_from_a_spreadsheet_is_read(db):
    assert parse_csv(b"Front;Back\nWhat is S3?;Object storage\n") == [
        ("What is S3?", "Object storage")
    ]


def test_csv_line_split_by_a_double_colon_is_reported(db):
    report = import_csv("aws", "c.csv", b"Is a :: b,c\nWhat is S3?,Storage\n")
    assert len(report.warnings) == 1, report.warnings
    assert "“Is a :: b” did not become its own card" in report.warnings[0]["message"]
