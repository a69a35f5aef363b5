"""The one definition of a card in play, in the ORM and in SQL."""

import itertools

import pytest
from django.db import connection

from cards.content.sync import NoteFile, import_deck
from cards.models import IN_PLAY_JOINS, IN_PLAY_SQL, Card, Deck, Note


@pytest.mark.django_db
def test_in_play_means_the_same_in_the_orm_and_in_sql():
    # Every combination: card active or not, note published or not, note removed or not,
    # deck removed or not.
    combos = list(itertools.product([True, False], repeat=4))
    for index, (active, published, note_here, deck_here) in enumerate(combos):
        import_deck(f"d{index}", [NoteFile("n.md", b"- Q? :: A\n")])
        card = Card.objects.get(deck__slug=f"d{index}")
        Card.objects.filter(pk=card.pk).update(status="active" if active else "retired")
        Note.objects.filter(pk=card.note_id).update(
            published=published, removed_at=None if note_here else "2026-01-01T00:00:00Z"
        )
        if not deck_here:
            Deck.objects.filter(pk=card.deck_id).update(removed_at="2026-01-01T00:00:00Z")
    in_orm = set(Card.objects.filter(Card.in_play()).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM cards_card c {IN_PLAY_JOINS} WHERE {IN_PLAY_SQL}")
        in_sql = {row[0] for row in cursor.fetchall()}
    assert in_orm == in_sql and len(in_orm) == 1, "only the active card of a published note"
    drafts = set(Card.objects.filter(Card.in_play(drafts=True)).values_list("pk", flat=True))
    assert len(drafts) == 2 and in_orm < drafts, "drafts: the published flag is all that differs"
