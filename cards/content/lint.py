"""The card rules of QUALITY.md that a machine can check, for one card and across a deck.

Pure: never imports Django. A card is judged as a student meets it: its front and back as shown
(plain text of their HTML), the heading path shown above it, its answer.
"""

import html
import re
from collections import defaultdict
from dataclasses import dataclass

from cards.content.source import MOJIBAKE
from cards.content.text import normalise

RULES = {
    "asks_nothing": "the front neither asks a question nor hides a cloze",
    "heading_path": "the front is a heading path, not a question",
    "leftover_markup": "leftover markup (==, **, [[, |, ::, mojibake) or an empty side",
    "gives_away": "the front contains its own answer",
    "long_list": "a set of more than five items asked as one card",
    "one_answer": "another card has the same front and a different answer",
    "asked_twice": "another note's card asks the same fact",
    "untrue": "the answer contradicts the facts file and is not marked",
}

MAX_LIST_ITEMS = 5
BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|br|div|h\d|tr|td|th|table|blockquote|pre)\b[^>]*>")
TAG = re.compile(r"<[^>]+>")
LEFTOVER = re.compile(r"==|\*\*|__|\[\[|\]\]|(?<!:)::(?!:)|(?:^|\s)\|(?:\s|$)")
BLANK = re.compile(r"\[(?:\.\.\.|…|[^\[\]]{1,60})\]")
WORD = re.compile(r"\w+")
ARN = re.compile(r"\barn:[\w-]+:\S*")
TERM = re.compile(r"\w+(?:[-.]\w+)*")
CHOICE = re.compile(r"\b(?:or|vs\.?|versus|which)\b", re.IGNORECASE)
PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class CardView:
    """What the rules read of a card."""

    kind: str
    front_html: str
    back_html: str
    answer: str = ""  # a cloze's deletion, a numeric card's value ("" otherwise)
    context: tuple[str, ...] = ()  # note title and headings, shown above the card
    list_items: int = 0  # for a list card, how many items its back holds
    untrue: bool = False  # its line states a figure the facts file contradicts
    marked: bool = False  # the card shows the facts file's value beside its answer

    @property
    def front(self) -> str:
        return shown(self.front_html)

    @property
    def back(self) -> str:
        return shown(self.back_html)

    @property
    def answer_text(self) -> str:
        return self.answer or self.back


def shown(fragment: str) -> str:
    """The words a student reads in a card's HTML."""
    return " ".join(html.unescape(TAG.sub("", BLOCK_TAG.sub(" ", fragment))).split())


def card_problems(card: CardView) -> list[str]:
    """The rules one card breaks, by name (RULES)."""
    front, back = card.front, card.back
    problems = []
    sides = ARN.sub(" ", f"{front}\n{back}")  # "arn:aws:iam::123:role/x" is no card separator
    if not front or not back or LEFTOVER.search(sides) or MOJIBAKE.search(sides):
        problems.append("leftover_markup")
    is_cloze = BLANK.search(front) is not None and card.kind in ("cloze", "numeric")
    if PATH_SEPARATOR in front:
        problems.append("heading_path")
    elif (
        not (front.rstrip(" *_)").endswith("?") or is_cloze)
        or len(WORD.findall(BLANK.sub(" ", front))) < 2
    ):
        problems.append("asks_nothing")
    answer = _terms(card.answer_text)
    offers_choices = CHOICE.search(front) is not None  # "Query or Scan: which one ...?"
    if len(answer.strip()) >= 3 and not offers_choices and answer in _terms(BLANK.sub(" ", front)):
        problems.append("gives_away")
    if card.kind == "list" and card.list_items > MAX_LIST_ITEMS:
        problems.append("long_list")
    if card.untrue and not card.marked:
        problems.append("untrue")
    return problems


def _terms(text: str) -> str:
    """Words of a text, spaced, keeping hyphenated terms whole: "S3 Standard" is not inside
    "S3 Standard-IA"."""
    return f" {' '.join(TERM.findall(text.casefold()))} "


def same_front_different_answer(cards: list[CardView]) -> list[tuple[int, int]]:
    """Pairs (by index) of cards with the same front and different answers."""
    by_front: dict[str, list[int]] = defaultdict(list)
    for index, card in enumerate(cards):
        by_front[normalise(card.front)].append(index)
    pairs = []
    for indexes in by_front.values():
        for position, first in enumerate(indexes):
            for second in indexes[position + 1 :]:
                if normalise(cards[first].answer_text) != normalise(cards[second].answer_text):
                    pairs.append((first, second))
    return pairs
