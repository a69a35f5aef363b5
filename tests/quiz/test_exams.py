"""An exam asks about the deck as it is now: what deck_cards remembers between exams never
outlives a change to the cards, whoever made it."""

from dataclasses import asdict

from cards.content import authoring
from cards.content.sync import NoteFile, import_deck
from cards.models import Deck, Note
from cards.quiz.drafts import Option, QuestionDraft
from cards.quiz.exams import deck_cards, draft_from_dict, draft_to_dict, topics_of

NOTE = """# Widget limits

- Widget retry wait: at most 15 minutes
- Widget cache: up to 2,048 MB
"""


def import_note(text):
    import_deck("limits", [NoteFile("limits.md", text.encode())])
    return Deck.objects.get(slug="limits")


def backs(deck):
    return sorted(card.back for card in deck_cards(deck))


def test_a_reimported_edit_is_asked_as_edited(db):
    deck = import_note(NOTE)
    assert "at most 15 minutes" in backs(deck)
    deck = import_note(NOTE.replace("15 minutes", "20 minutes"))
    assert "at most 20 minutes" in backs(deck), "deck_cards served the card as it was"
    assert "at most 15 minutes" not in backs(deck), "deck_cards served the card as it was"


def test_an_unpublished_note_leaves_the_exam_at_once(db):
    deck = import_note(NOTE)
    assert backs(deck)
    authoring.set_published(Note.objects.get(deck=deck), False)
    assert backs(deck) == [], "a draft's cards were still asked"


def test_the_same_deck_read_twice_gives_equal_cards(db):
    deck = import_note(NOTE)
    first, again = deck_cards(deck), deck_cards(deck)
    assert first == again
    again.clear()
    assert deck_cards(deck) == first, "a caller's change to the list reached the next exam"


def test_topics_are_the_notes_of_the_cards_asked(db):
    deck = import_note(NOTE)
    import_deck("limits", [NoteFile("drafts.md", b"# Drafts\n\n- Draft wait: 3 minutes\n")],
                remove_missing=False)  # fmt: skip
    authoring.set_published(Note.objects.get(deck=deck, path="drafts.md"), False)
    assert topics_of(deck) == sorted({card.note_title for card in deck_cards(deck)})
    assert topics_of(deck) == ["Widget limits"], "a draft note is no topic"


def test_a_question_is_stored_as_asdict_gives_it():
    question = QuestionDraft(
        kind="single",
        stem="Which widget keeps the cache?",
        options=(Option("Keeper", True), Option("Sweeper", False)),
        card_id=3,
        key="card-3-term",
    )
    assert draft_to_dict(question) == asdict(question)
    assert list(draft_to_dict(question)) == list(asdict(question)), "the stored field order"
    assert draft_from_dict(draft_to_dict(question)) == question
