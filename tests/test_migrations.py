"""Upgrading keeps what students did: cards reviewed before migration 0009 (one fact, one card)
keep their state and review log through the migration and the re-import that follows it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cards.content.extract import extract_cards
from cards.content.sync import NoteFile, import_deck
from cards.content.tree import parse_note
from cards.models import Card, CardState, ReviewLog

BEFORE = ("cards", "0008_card_in_play")
AFTER = ("cards", "0009_one_fact_one_card")
NOTE = """# Lambda limits

- What is the maximum timeout? :: 900 seconds
- Cold start: the delay while Lambda prepares a new execution environment
- The largest deployment package is ==250 MB== unzipped.
"""


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_cards_reviewed_before_the_upgrade_keep_their_history():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="old-student")
    deck = old.get_model("cards", "Deck").objects.create(slug="lambda", title="Lambda")
    note = old.get_model("cards", "Note").objects.create(
        deck=deck, path="limits.md", title="Lambda limits", slug="limits", source=NOTE,
        content_hash="imported by an older version",
    )  # fmt: skip
    now = timezone.now()
    drafts = extract_cards(parse_note(NOTE), title="Lambda limits").cards
    for position, draft in enumerate(drafts):
        card = old.get_model("cards", "Card").objects.create(
            note=note, deck=deck, key=draft.key, kind=draft.kind, front=draft.front,
            back=draft.back, answer=draft.answer, identity=draft.identity, line=draft.line,
            position=position,
        )  # fmt: skip
        old.get_model("cards", "CardState").objects.create(
            user=user, card=card, state=2, stability=12.5, difficulty=5.0, due=now, reps=4,
            last_review=now,
        )  # fmt: skip
        old.get_model("cards", "ReviewLog").objects.create(
            user=user, card=card, rating=3, reviewed_at=now, state_before=2, state_after=2,
            after={"stability": 12.5},
        )  # fmt: skip

    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("cards")[0])
    assert CardState.objects.count() == len(drafts) == ReviewLog.objects.count()
    assert set(Card.objects.values_list("merged_into", "fact_check")) == {(None, None)}

    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    states = CardState.objects.select_related("card")
    assert len(states) == len(drafts)
    assert all(state.card.status == Card.Status.ACTIVE for state in states)
    assert {state.stability for state in states} == {12.5}
    assert set(Card.objects.filter(Card.in_play()).values_list("pk", flat=True)) == {
        state.card_id for state in states
    }, "every reviewed card is still studied, none retired by the new extractor"
