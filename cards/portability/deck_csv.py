"""A deck's cards as CSV: out for spreadsheets and other apps, in as simple front/back cards.

Bad input changes nothing and says why (CsvError).
"""

import csv
import io
import json
from pathlib import PurePosixPath

from django.utils.text import slugify

from cards.content.files import NoteFile, megabytes
from cards.content.sync import ImportFailed, Report, import_deck
from cards.models import Card, Deck
from cards.portability.anki import exported_cards

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CARD_SIDE_CHARS = 10_000  # a card's front or back: shown whole on every review
CSV_COLUMNS = ["front", "back", "kind", "note", "heading", "tags"]
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"):
# the export guards such a cell with a leading apostrophe, and the import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvError(ValueError):
    """A CSV file that cannot become cards; the message says why, for the person uploading."""


def write_deck_csv(deck: Deck, out, *, include_drafts: bool = False) -> int:
    """Write the deck's active cards to a text stream; returns how many."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for card in exported_cards(deck, include_drafts=include_drafts):
        row = [
            card.front,
            card.back,
            card.kind,
            card.note.path,
            card.heading_label,
            " ".join(card.note.tags),
        ]
        writer.writerow([_guard_formula(cell) for cell in row])
        count += 1
    return count


def _guard_formula(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _unguard_formula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def parse_csv(data: bytes) -> list[tuple[str, str]]:
    """(front, back) pairs from a CSV file: UTF-8 with or without BOM, an optional
    "front,back" header, the first two columns used and any others ignored."""
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"The file is {megabytes(len(data))}; the limit is 2 MB.")
    if b"\0" in data:
        raise CsvError("This is not a text file. Save the spreadsheet as CSV (UTF-8) and retry.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(
            f"The file is not UTF-8 (byte {exc.start + 1}). Save it as “CSV UTF-8” and retry."
        ) from None
    if not text.strip():
        raise CsvError("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    pairs = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise CsvError(f"The file is not valid CSV: {exc}.") from None
    for number, row in enumerate(rows, start=1):
        cells = [" ".join(_unguard_formula(cell).split()) for cell in row]
        if not any(cells):
            continue
        if number == 1 and [c.casefold() for c in cells[:2]] == ["front", "back"]:
            continue
        if len(cells) < 2:
            raise CsvError(f"Line {number} has one column; each line needs a front and a back.")
        front, back = cells[0], cells[1]
        if not front or not back:
            raise CsvError(f"Line {number} has an empty {'front' if not front else 'back'}.")
        for side, text in (("front", front), ("back", back)):
            if len(text) > MAX_CARD_SIDE_CHARS:
                raise CsvError(
                    f"Line {number}: the {side} is {len(text):,} characters long; "
                    f"the limit is {MAX_CARD_SIDE_CHARS:,}."
                )
        pairs.append((front, back))
    if not pairs:
        raise CsvError("The file has no cards: each line needs a front and a back.")
    return pairs


def csv_note_path(filename: str) -> str:
    """`imported/<name>.md`: every upload of the same file name updates the same note."""
    stem = PurePosixPath(filename.replace("\\", "/")).stem
    return f"imported/{slugify(stem, allow_unicode=True) or 'cards'}.md"


CSV_NOTE_HEADER = ["---", "title: {title}", "cards: explicit", "cloze: false", "---", ""]


def csv_note_text(filename: str, pairs: list[tuple[str, str]]) -> str:
    """A note of `Front :: Back` lines, only explicit cards: its text must not make others."""
    title = PurePosixPath(filename.replace("\\", "/")).stem or "Imported cards"
    lines = [line.format(title=json.dumps(title)) for line in CSV_NOTE_HEADER]
    lines += [f"- {front} :: {back}" for front, back in pairs]
    return "\n".join(lines) + "\n"


def import_csv(deck_slug: str, filename: str, data: bytes) -> Report:
    """Cards from a CSV file into the deck as one note; raises CsvError (nothing changed).
    A line that did not become exactly its card (a `::` inside its text) is a warning."""
    pairs = parse_csv(data)
    path = csv_note_path(filename)
    note = NoteFile(path, csv_note_text(filename, pairs).encode("utf-8"))
    try:
        report = import_deck(deck_slug, [note], remove_missing=False)
    except ImportFailed as exc:
        reasons = "; ".join(error["message"] for error in exc.report.errors)
        raise CsvError(f"The cards could not be imported: {reasons}.") from None
    made = set(
        Card.objects.filter(
            note__deck__slug=deck_slug, note__path=path, status=Card.Status.ACTIVE
        ).values_list("front", "back")
    )
    for number, (front, back) in enumerate(pairs, start=len(CSV_NOTE_HEADER) + 1):
        if (front, back) not in made:
            report.warnings.append(
                {
                    "file": path,
                    "line": number,
                    "message": f"“{front[:60]}” did not become its own card as written; "
                    "a “::” inside its text splits it",
                }
            )
    return report
