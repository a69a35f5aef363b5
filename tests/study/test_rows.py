"""The review's hand-written reads (cards.study.sql over cards.rows) give the card, note, deck and
state exactly as the ORM reads them: same values and same types on SQLite and PostgreSQL (JSON
as lists, dates as dates, times aware, flags as booleans)."""

from datetime import date, timedelta

from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, Deck, Note
from cards.rows import fetch_one
from cards.study import sql
from cards.study.queue import Scope


def fields_of(obj, names) -> dict:
    return {name: (getattr(obj, name), type(getattr(obj, name))) for name in names}


def test_the_card_on_screen_reads_as_the_orm_reads_it(alice):
    import_deck("d", [NoteFile("n.md", b"# Topic\n\n## Limits\n\n- Max timeout? :: 900 seconds\n")])
    card = Card.objects.get()
    deck = Deck.objects.get()
    due = timezone.now().replace(microsecond=0) + timedelta(days=3)
    CardState.objects.create(
        user=alice, card=card, state=2, stability=4.5, difficulty=5.25, due=due,
        last_review=due - timedelta(days=3), reps=3, suspended=False,
        buried_until=date(2026, 12, 2), leech=True, version=4,
    )  # fmt: skip

    read_card, read_state = sql.load_card(alice.pk, Scope(deck_id=deck.pk), card.pk)

    assert fields_of(read_card, sql.CARD_READ) == fields_of(card, sql.CARD_READ)
    assert read_card.heading_path == ["Topic", "Limits"]
    note = Note.objects.get()
    assert fields_of(read_card.note, sql.NOTE_READ) == fields_of(note, sql.NOTE_READ)
    assert read_card.note.published is True
    assert fields_of(read_card.note.deck, sql.DECK_READ) == fields_of(deck, sql.DECK_READ)
    names = [field.attname for field in CardState._meta.concrete_fields]
    stored = CardState.objects.get()
    assert fields_of(read_state, names) == fields_of(stored, names)
    assert read_state.due == due and read_state.due.tzinfo is not None
    assert read_state.buried_until == date(2026, 12, 2)
    assert read_state.leech is True and read_state.suspended is False

    in_play, graded = sql.state_for_grade(alice.pk, card.pk)
    assert in_play and fields_of(graded, names) == fields_of(stored, names)
    fetched = fetch_one(CardState, "id = %s", [stored.pk])
    assert fields_of(fetched, names) == fields_of(stored, names)


def test_a_card_never_reviewed_has_no_state_and_one_out_of_play_is_not_read(alice):
    import_deck("d", [NoteFile("n.md", b"# Topic\n\n- Max timeout? :: 900 seconds\n")])
    card = Card.objects.get()
    read_card, read_state = sql.load_card(alice.pk, Scope(), card.pk)
    assert read_card == card and read_state is None
    assert sql.state_for_grade(alice.pk, card.pk) == (True, None)

    Card.objects.update(status=Card.Status.SUPPRESSED)
    assert sql.load_card(alice.pk, Scope(), card.pk) == (None, None)
    assert sql.state_for_grade(alice.pk, card.pk) == (False, None)
