"""A deck's active cards as an Anki package (.apkg), built with genanki.

Ids come from fixed names, the deck slug and card keys, never from database ids or the clock, so
exporting again updates the notes already in Anki instead of adding copies. Reads; never writes.
"""

import hashlib
import html
import re

import genanki

from cards.models import Card, Deck

CSS = """.card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.45;
  text-align: left; color: #1f2933; background: #fff; max-width: 40em; margin: 0 auto; }
.nightMode.card { color: #e5e7eb; background: #111827; }
.cloze { font-weight: bold; color: #1d4ed8; }
.nightMode .cloze { color: #93c5fd; }
.source { margin-top: 1.5em; font-size: 14px; color: #6b7280; }
"""
SOURCE = '<div class="source">{{Source}}</div>'


def anki_id(name: str) -> int:
    """A stable id in the range genanki recommends for models and decks (2**30 to 2**31)."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:12], 16)
    return (1 << 30) + digest % (1 << 30)


# Every kind but cloze is a plain question and answer. Reversed cards already hold their sides
# swapped (they are cards of their own in studyapp), so they are Basic notes too: one studyapp
# card is always one Anki note with one card, and carries its own review history in Anki.
BASIC = genanki.Model(
    anki_id("studyapp model: basic"),
    "studyapp Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n" + SOURCE,
        }
    ],
    css=CSS,
)

CLOZE = genanki.Model(
    anki_id("studyapp model: cloze"),
    "studyapp Cloze",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}\n" + SOURCE,
        }
    ],
    css=CSS,
)

# The deletion the card asks about is the one highlighted on its back: <mark>answer</mark>.
MARKED = re.compile(r"<mark\b[^>]*>(.*?)</mark>", re.DOTALL)
BLANK = "[...]"


def exported_cards(deck: Deck, *, include_drafts: bool = False):
    """The cards a student of the deck would study (Card.in_play). Instructors may take the
    cards of draft notes too."""
    cards = Card.objects.filter(Card.in_play(drafts=include_drafts), deck=deck)
    return cards.select_related("note__deck").order_by("note__path", "position", "pk")


def build_package(deck: Deck, *, base_url: str, include_drafts: bool = False) -> genanki.Package:
    """base_url (e.g. "https://study.example.com") makes the links back to the notes absolute."""
    anki_deck = genanki.Deck(anki_id(f"studyapp deck: {deck.slug}"), deck.title)
    for card in exported_cards(deck, include_drafts=include_drafts):
        anki_deck.add_note(anki_note(card, base_url=base_url))
    return genanki.Package(anki_deck)


def write_apkg(deck: Deck, target, *, base_url: str, include_drafts: bool = False) -> int:
    """Write the package to a path or a binary file object; returns the number of notes."""
    package = build_package(deck, base_url=base_url, include_drafts=include_drafts)
    package.write_to_file(target)
    return len(package.decks[0].notes)


def anki_note(card: Card, *, base_url: str) -> genanki.Note:
    guid = genanki.guid_for(card.note.deck.slug, card.note.path, card.key)
    source = source_field(card, base_url)
    tags = card_tags(card)
    text = cloze_text(card) if card.kind == Card.Kind.CLOZE else None
    if text is not None:
        return genanki.Note(model=CLOZE, fields=[text, "", source], tags=tags, guid=guid)
    front = card.front_html or html.escape(card.front)
    back = card.back_html or html.escape(card.back)
    return genanki.Note(model=BASIC, fields=[front, back, source], tags=tags, guid=guid)


def cloze_text(card: Card) -> str | None:
    """Our cloze card as Anki cloze text: its highlighted back with the highlight as {{c1::…}}.

    Falls back to the front with "[...]" filled in from card.answer; None when neither works
    (the card is then exported as Basic, since a cloze note without a deletion has no card).
    """
    if MARKED.search(card.back_html):
        return MARKED.sub(lambda match: "{{c1::" + match.group(1) + "}}", card.back_html)
    if card.answer and BLANK in card.front_html:
        return card.front_html.replace(BLANK, "{{c1::" + html.escape(card.answer) + "}}", 1)
    return None


def card_tags(card: Card) -> list[str]:
    """The heading path as one hierarchical tag (Anki tags cannot hold spaces), the note's tags
    and the card's kind."""
    tags = []
    headings = [anki_tag(heading) for heading in card.heading_path]
    if any(headings):
        tags.append("::".join(heading for heading in headings if heading))
    tags += [anki_tag(tag) for tag in card.note.tags if anki_tag(tag)]
    tags.append(f"studyapp::{card.kind}")
    return list(dict.fromkeys(tags))


def anki_tag(text: str) -> str:
    return re.sub(r"\s+", "_", str(text).strip())


def source_field(card: Card, base_url: str) -> str:
    url = base_url.rstrip("/") + card.source_url()
    label = card.context_label
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>'
