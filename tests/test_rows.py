"""cards.rows.insert_all stores an import's new cards as bulk_create would: the same values, of the
same types, read back on SQLite and PostgreSQL, however many statements the rows need."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, Note
from cards.rows import insert_all

pytestmark = pytest.mark.django_db

COMPARED = [
    f.attname
    for f in Card._meta.concrete_fields
    if f.attname not in {"id", "key", "created_at", "updated_at"}
]


def cards_of(note: Note, prefix: str, count: int) -> list[Card]:
    return [
        Card(
            note=note,
            deck_id=note.deck_id,
            key=f"{prefix}{index}",
            kind="cloze" if index % 2 else "basic",
            front=f"Lambda’s “limit” #{index}: {{{{c1::15 minutes}}}} — 'quoted' \\ and ünïcode?",
            back="<p>900 seconds</p>",
            front_html="<p>Front</p>",
            back_html="<p>Back</p>",
            answer="15 minutes" if index % 2 else "",
            identity=f"identity {index}",
            heading_path=["Lambda limits", f"Timeouts {index}", "ünïcode"],
            line=index + 1,
            position=index,
            sibling_group=f"{note.pk}:g{index % 3}" if index % 3 else "",
            fact_check={"fact": "timeout", "says": "15 minutes", "checked": "2026-11-30"}
            if index % 4 == 0
            else None,
            also_in=[{"title": "Other", "slug": "other", "line": index}] if index % 5 == 0 else [],
        )
        for index in range(count)
    ]


def test_cards_stored_by_insert_all_read_back_as_bulk_created_ones():
    import_deck("d", [NoteFile("n.md", b"# Lambda limits\n\nJust text.\n")])
    note = Note.objects.get()
    before = timezone.now()
    Card.objects.bulk_create(cards_of(note, "orm", 120), batch_size=500)
    insert_all(Card, cards_of(note, "raw", 120))  # SQLite takes 49 cards to a statement

    orm = {c.key[3:]: c for c in Card.objects.filter(key__startswith="orm")}
    raw = {c.key[3:]: c for c in Card.objects.filter(key__startswith="raw")}
    assert len(raw) == len(orm) == 120
    for index, card in raw.items():
        expected = orm[index]
        for name in COMPARED:
            got, want = getattr(card, name), getattr(expected, name)
            assert (got, type(got)) == (want, type(want)), (index, name)
        assert before <= card.created_at <= timezone.now() + timedelta(seconds=1)
        assert card.updated_at.tzinfo is not None
    assert raw["4"].fact_check["says"] == "15 minutes" and raw["1"].fact_check is None
    assert raw["7"].heading_path[-1] == "ünïcode"
    assert Card.objects.filter(key__startswith="raw", status=Card.Status.ACTIVE).count() == 120


def test_nothing_to_insert_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_all(Card, [])


def test_a_model_with_a_database_default_is_refused():
    with pytest.raises(TypeError, match="db_default"):
        insert_all(CardState, [CardState()])
