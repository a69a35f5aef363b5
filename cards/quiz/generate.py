"""Exam-practice questions made from a deck's cards.

Pure: never imports Django and never uses the global random; the same cards and seed always give
the same questions, options and option order.
"""

import functools
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from cards.calculators.units import (
    MONEY,
    PERCENT,
    Quantity,
    equivalent,
    format_quantity,
    parse_quantity,
)
from cards.content.extract import PATH_SEPARATOR
from cards.content.text import normalise, plain
from cards.quiz.drafts import CardInfo, Option, QuestionDraft

DISTRACTORS = 3
MAX_OPTION_CHARS = 200  # a longer option is a paragraph, not something to pick
NUMBER_WORDS = {2: "TWO", 3: "THREE"}
# Plausible neighbours of a number, used when the deck holds too few values with its unit.
NEIGHBOURS = tuple(Decimal(f) for f in ("2", "0.5", "10", "0.1", "3", "4", "5", "0.25", "1.5"))
MAX_NEIGHBOUR_RATIO = 100  # deck values further than this from the answer are no temptation

BOLD_TERM = re.compile(r"\*\*([^*\n]+)\*\*\??\s*$")
LIST_FRONT = re.compile(r"^(.*?):\s*name (?:the|all) \d+(?: items)?(?: in order)?\s*$", re.S)
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
NUMBER_START = (*"0123456789$.+-", "us$", "US$", "USD", "usd")
NUMBER_IN_TEXT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def topic_for(note_title: str, heading_path: Iterable[str]) -> str:
    """ "Note title › First heading", without the note's own H1 that repeats the title."""
    path = [heading for heading in heading_path if heading]
    title = note_title or (path.pop(0) if path else "")
    if path and normalise(path[0]) == normalise(title):
        path = path[1:]
    return PATH_SEPARATOR.join([title, *path[:1]]) if title else PATH_SEPARATOR.join(path[:1])


@functools.lru_cache(maxsize=4096)
def _topic_of(note_title: str, heading_path: tuple[str, ...]) -> str:
    return topic_for(note_title, heading_path)


def _topic(card: CardInfo) -> str:
    return _topic_of(card.note_title, tuple(card.heading_path))


# Reading cards


@functools.lru_cache(maxsize=8192)
def _quantity(text: str) -> Quantity | None:
    """The value of an answer when it is a number with a unit ("900 seconds"); else None."""
    if "\n" in text or not text.lstrip("*_=` \t~≈<>").startswith(NUMBER_START):
        return None  # parse_quantity wants the number first: skip prose cheaply
    found = parse_quantity(plain(text))
    return found if found is not None and found.unit else None


def _value(card: CardInfo) -> str:
    """What the learner must come up with for this card."""
    if card.kind in ("cloze", "numeric") and card.answer:
        return card.answer
    return card.back


def _segments(card: CardInfo) -> list[str]:
    return card.front.split(PATH_SEPARATOR)


def _term(card: CardInfo) -> str:
    match = BOLD_TERM.search(card.front)
    return match.group(1).strip() if match else plain(_segments(card)[-1])


def _context(card: CardInfo, drop: int) -> str:
    parts = _segments(card)[:-drop]
    return PATH_SEPARATOR.join(parts) if parts else card.note_title


def _list_items(card: CardInfo) -> list[str]:
    items = []
    for line in card.back.split("\n"):
        match = LIST_ITEM.match(line)
        if match and match.group(1).strip():
            items.append(match.group(1).strip())
    return items


def _list_label(card: CardInfo) -> str:
    match = LIST_FRONT.match(card.front)
    return (match.group(1) if match else card.front).strip()


def _option_text(text: str) -> str:
    """Text as one option line; "" when it is a list or too long to be an option."""
    lines = [line.strip() for line in text.strip().split("\n")]
    if any(LIST_ITEM.match(line) for line in lines):
        return ""
    joined = " ".join(line for line in lines if line)
    return joined if len(joined) <= MAX_OPTION_CHARS else ""


class _Distinct:
    """Options so far; refuses text equal or equivalent to one already taken."""

    def __init__(self, *taken: str):
        self.texts: list[str] = []
        self.seen: set[str] = set()
        self.quantities: list[Quantity] = []
        for text in taken:
            self.add(text)

    def add(self, text: str) -> bool:
        key = normalise(text)
        if not key or key in self.seen:
            return False
        quantity = _quantity(text)
        if quantity is not None and any(equivalent(quantity, q) for q in self.quantities):
            return False
        self.seen.add(key)
        self.texts.append(text)
        if quantity is not None:
            self.quantities.append(quantity)
        return True


def _pick(candidates: Iterable[str], taken: list[str], need: int) -> list[str]:
    """Up to `need` distractors from `candidates` (in the given preference order, shuffled within
    it by the caller), none equal or equivalent to anything in `taken` or to each other."""
    distinct = _Distinct(*taken)
    chosen = []
    for candidate in candidates:
        if len(chosen) == need:
            break
        text = _option_text(candidate)
        if text and distinct.add(text):
            chosen.append(text)
    return chosen


# The deck index: built once per exam so each question looks only at its neighbours


class _Index:
    def __init__(self, cards: list[CardInfo]):
        self.by_heading: dict[tuple, list[CardInfo]] = defaultdict(list)
        self.by_note: dict[str, list[CardInfo]] = defaultdict(list)
        self.lists: list[CardInfo] = []
        self._by_unit: dict[str, list[Quantity]] | None = None
        self.cards = cards
        for card in cards:
            self.by_heading[(card.note_title, card.heading_path)].append(card)
            self.by_note[card.note_title].append(card)
            if card.kind == "list":
                self.lists.append(card)

    def siblings(self, card: CardInfo, kinds: tuple[str, ...]) -> list[CardInfo]:
        found = self.by_heading.get((card.note_title, card.heading_path), ())
        return [other for other in found if other.kind in kinds and other.id != card.id]

    def in_note(self, card: CardInfo, kinds: tuple[str, ...]) -> list[CardInfo]:
        found = self.by_note.get(card.note_title, ())
        return [
            other
            for other in found
            if other.kind in kinds
            and other.id != card.id
            and other.heading_path != card.heading_path
        ]

    def by_unit(self, unit: str) -> list[Quantity]:
        """Values with this unit symbol anywhere in the deck, parsed on first use."""
        if self._by_unit is None:
            self._by_unit = defaultdict(list)
            seen = set()
            for card in self.cards:
                quantity = _quantity(_value(card))
                if quantity is not None and (quantity.unit, quantity.value) not in seen:
                    seen.add((quantity.unit, quantity.value))
                    self._by_unit[quantity.unit].append(quantity)
        return self._by_unit.get(unit, [])


def _shuffled(items: Iterable, rng: random.Random) -> list:
    items = list(items)
    rng.shuffle(items)
    return items


# Numbers


def _number_text(value: Decimal, *, commas: bool) -> str:
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
        return f"{value:,}" if commas or value >= 10000 else f"{value}"
    return f"{value:f}"


def _like(answer: str, quantity: Quantity, value: Decimal) -> str:
    """`value` written the way the answer is written: "300 seconds" next to "900 seconds"."""
    text = plain(answer)
    numbers = NUMBER_IN_TEXT.findall(text)
    if quantity.dimension in (MONEY, PERCENT) or len(numbers) != 1:
        return format_quantity(Quantity(value.normalize(), quantity.unit, quantity.dimension))
    match = NUMBER_IN_TEXT.search(text)
    written = Decimal(match.group(0).replace(",", ""))
    if written and quantity.value:
        value = value * written / quantity.value  # "1 million requests" holds 1, not 1,000,000
    original = match.group(0)
    number = _number_text(value, commas="," in original or (len(original) < 4 and value >= 1000))
    rest = text[match.end() :]
    word = rest.strip()
    if word.isalpha() and len(word) > 3:  # "1 minute" / "5 minutes"; not "1 MB"
        word = word.rstrip("s") if value == 1 else (word if word.endswith("s") else word + "s")
        rest = rest[: len(rest) - len(rest.lstrip())] + word
    return text[: match.start()] + number + rest


def _number_distractors(
    answer: str, quantity: Quantity, index: _Index, rng: random.Random
) -> list[str]:
    value = quantity.value
    in_deck = [
        q.value
        for q in index.by_unit(quantity.unit)
        if q.value > 0
        and value > 0
        and max(q.value, value) / min(q.value, value) <= MAX_NEIGHBOUR_RATIO
    ]
    whole = value == value.to_integral_value()
    neighbours = [
        value * factor
        for factor in NEIGHBOURS
        if value > 0 and (not whole or (value * factor) == (value * factor).to_integral_value())
    ]
    candidates = [_like(answer, quantity, v) for v in _shuffled(in_deck, rng)]
    candidates += [_like(answer, quantity, v) for v in _shuffled(neighbours, rng)]
    return _pick(candidates, [answer], DISTRACTORS)


# Building questions


def _key(card: CardInfo, form: str) -> str:
    return f"card-{card.id}-{form}"


def _choice(
    card: CardInfo,
    form: str,
    stem: str,
    answer: str,
    distractors: list[str],
    explanation: str,
    rng: random.Random,
) -> QuestionDraft | None:
    answer = _option_text(answer)
    if len(distractors) < DISTRACTORS or not answer:
        return None  # a question with junk or missing options teaches nothing
    options = [Option(answer, True)] + [Option(text, False) for text in distractors]
    rng.shuffle(options)
    return QuestionDraft(
        kind="single",
        stem=stem,
        options=tuple(options),
        explanation=explanation,
        topic=_topic(card),
        card_id=card.id,
        source_url=card.source_url,
        key=_key(card, form),
    )


def _true_false(
    card: CardInfo, form: str, stem: str, true: bool, explanation: str
) -> QuestionDraft:
    return QuestionDraft(
        kind="true_false",
        stem=stem,
        options=(Option("True", true), Option("False", not true)),
        explanation=explanation,
        topic=_topic(card),
        card_id=card.id,
        source_url=card.source_url,
        key=_key(card, form),
    )


def _explanation(card: CardInfo) -> str:
    if card.kind in ("cloze", "numeric"):
        return card.back
    return f"{card.front}\n\n{card.back}"


def _number_choice(card, index, rng):
    answer = _value(card)
    quantity = _quantity(answer)
    if quantity is None:
        return None
    distractors = _number_distractors(answer, quantity, index, rng)
    return _choice(card, "number", _stem(card), answer, distractors, _explanation(card), rng)


def _numeric_entry(card, index, rng):
    answer = _value(card)
    if _quantity(answer) is None:
        return None
    return QuestionDraft(
        kind="numeric",
        stem=f"{_stem(card)}\n\nType the value with its unit.",
        answer=plain(answer),
        explanation=_explanation(card),
        topic=_topic(card),
        card_id=card.id,
        source_url=card.source_url,
        key=_key(card, "entry"),
    )


def _stem(card: CardInfo) -> str:
    return card.front  # every front names its subject and asks (QUALITY.md, rule 1)


def _cell(card: CardInfo) -> tuple[str, str]:
    """A table cell's row and column (normalised), from its identity "row | column"."""
    row, _, column = card.identity.rpartition(" | ")
    return row, column


def _term_choice(card, index, rng):
    siblings = index.siblings(card, ("definition",))
    candidates = [_term(other) for other in _shuffled(siblings, rng)]
    term = _term(card)
    distractors = _pick(candidates, [term], DISTRACTORS)
    stem = f"{_context(card, 1)}: which term is described here?\n\n{card.back}"
    return _choice(card, "term", stem, term, distractors, _explanation(card), rng)


def _definition_true_false(card, index, rng):
    term = _term(card)
    others = [
        other
        for other in _shuffled(index.siblings(card, ("definition",)), rng)
        if normalise(other.back) != normalise(card.back)
        and normalise(_term(other)) != normalise(term)
    ]
    if not others:
        return None  # a statement that can only ever be true is no question
    true = rng.random() < 0.5
    shown = card.back if true else others[0].back
    stem = f"True or false? In {_context(card, 1)}, **{term}**: {shown}"
    if true:
        explanation = f"True. **{term}**: {card.back}"
    else:
        explanation = f"False. That describes **{_term(others[0])}**. **{term}**: {card.back}"
    return _true_false(card, "true-false", stem, true, explanation)


def _cell_siblings(card: CardInfo, index: _Index) -> list[CardInfo]:
    row, column = _cell(card)
    return [
        other
        for other in index.siblings(card, ("table",))
        if _cell(other)[1] == column and _cell(other)[0] != row
    ]


def _cell_choice(card, index, rng):
    candidates = [other.back for other in _shuffled(_cell_siblings(card, index), rng)]
    distractors = _pick(candidates, [card.back], DISTRACTORS)
    return _choice(card, "cell", _stem(card), card.back, distractors, _explanation(card), rng)


def _cell_true_false(card, index, rng):
    others = [
        other
        for other in _shuffled(_cell_siblings(card, index), rng)
        if _pick([other.back], [card.back], 1)
    ]
    if not others:
        return None
    true = rng.random() < 0.5
    shown = card.back if true else others[0].back
    stem = f"True or false? {card.front.rstrip('?')}: {shown}"
    verdict = "True." if true else "False."
    return _true_false(card, "true-false", stem, true, f"{verdict} {_explanation(card)}")


def _answer_choice(card, index, rng):
    """Basic, reversed and cloze cards: answers of the same kind nearby are the distractors."""
    kinds = (card.kind,)
    nearby = _shuffled(index.siblings(card, kinds), rng)
    if card.kind != "cloze":  # highlights under other headings are about other things
        nearby += _shuffled(index.in_note(card, kinds), rng)
    answer = _value(card)
    candidates = [_value(other) for other in nearby if _quantity(_value(other)) is None]
    distractors = _pick(candidates, [answer], DISTRACTORS)
    return _choice(card, "answer", card.front, answer, distractors, _explanation(card), rng)


def _list_distractors(card: CardInfo, index: _Index, rng: random.Random) -> Iterator[str]:
    """Items of other lists in the note, terms defined in the note, then other lists in the deck;
    lazy, so a question reads only as far as it needs."""
    for other in _shuffled(index.in_note(card, ("list",)) + index.siblings(card, ("list",)), rng):
        yield from _list_items(other)
    for other in _shuffled(index.in_note(card, ("definition",)), rng):
        yield _term(other)
    for other in index.siblings(card, ("definition",)):
        yield _term(other)
    if index.lists:
        start = rng.randrange(len(index.lists))
        for offset in range(len(index.lists)):
            other = index.lists[(start + offset) % len(index.lists)]
            if other.note_title != card.note_title:
                yield from _list_items(other)


def _select_many(card, index, rng):
    items = _list_items(card)
    if len(items) < 2:
        return None
    want = 3 if len(items) >= 4 and rng.random() < 0.5 else 2
    correct = _shuffled(items, rng)[:want]
    distractors = _pick(_list_distractors(card, index, rng), items, DISTRACTORS)
    if len(distractors) < DISTRACTORS:
        return None
    options = [Option(text, True) for text in correct]
    options += [Option(text, False) for text in distractors]
    rng.shuffle(options)
    word = NUMBER_WORDS[want]
    return QuestionDraft(
        kind="multiple",
        stem=f"Which {word} of these belong to “{_list_label(card)}”? (Select {word}.)",
        options=tuple(options),
        explanation=_explanation(card),
        topic=_topic(card),
        card_id=card.id,
        source_url=card.source_url,
        key=_key(card, "select"),
    )


Form = Callable[[CardInfo, _Index, random.Random], QuestionDraft | None]


def _forms(card: CardInfo, rng: random.Random) -> list[Form]:
    """Ways to ask about this card, best first; later ones are the fallbacks."""
    if _quantity(_value(card)) is not None and card.kind != "list":
        forms = [_number_choice, _numeric_entry]
    elif card.kind == "definition":
        forms = [_term_choice, _definition_true_false]
    elif card.kind == "table":
        forms = [_cell_choice, _cell_true_false]
    elif card.kind == "list":
        return [_select_many]
    elif card.kind in ("basic", "reversed", "cloze"):
        return [_answer_choice]
    else:
        return []
    if rng.random() < 0.3:  # some variety: the second form is also a good question
        forms.reverse()
    return forms


def _ask(
    card: CardInfo, index: _Index, rng: random.Random, *, skip: Form | None = None
) -> tuple[QuestionDraft | None, Form | None]:
    """The first form of `card` that makes a good question, and that form."""
    for form in _forms(card, rng):
        if form is skip:
            continue
        draft = form(card, index, rng)
        if draft is not None:
            return draft, form
    return None, None


def question_for_card(
    card: CardInfo, pool: list[CardInfo], rng: random.Random
) -> QuestionDraft | None:
    """One question about `card`, with distractors from `pool` (the deck); None when every form
    would need options the deck cannot supply."""
    return _ask(card, _Index(sorted(pool, key=lambda c: c.id)), rng)[0]


def generate_questions(
    cards: list[CardInfo],
    *,
    count: int,
    seed: int | str,
    topics: set[str] | None = None,
    authored: Iterable[QuestionDraft] = (),
) -> list[QuestionDraft]:
    """`count` questions spread over topics, authored ones first within each topic; fewer when
    the deck cannot make more. Cards outside `topics` still lend distractors."""
    rng = random.Random(str(seed))
    deck = sorted(cards, key=lambda card: card.id)
    index = _Index(deck)
    queues: dict[str, list] = defaultdict(list)
    for draft in sorted(authored, key=lambda d: (d.topic, d.key, d.stem)):
        if topics is None or draft.topic in topics:
            queues[draft.topic].append(draft)
    for queue in queues.values():
        rng.shuffle(queue)
    chosen_cards = [card for card in deck if topics is None or _topic(card) in topics]
    by_topic: dict[str, list[CardInfo]] = defaultdict(list)
    for card in chosen_cards:
        by_topic[_topic(card)].append(card)
    for topic in sorted(by_topic):
        queues[topic].extend(_shuffled(by_topic[topic], rng))
    order = sorted(queues)
    rng.shuffle(order)

    result: list[QuestionDraft] = []
    used: list[tuple[CardInfo, Form]] = []
    keys: set[str] = set()

    def take(draft: QuestionDraft) -> None:
        key, ordinal = draft.key or "question", 1
        while key in keys:
            ordinal += 1
            key = f"{draft.key or 'question'}-{ordinal}"
        keys.add(key)
        result.append(replace(draft, key=key) if key != draft.key else draft)

    positions = dict.fromkeys(order, 0)
    while len(result) < count and positions:
        for topic in list(positions):
            if len(result) == count:
                break
            queue = queues[topic]
            draft = None
            while draft is None and positions[topic] < len(queue):
                item = queue[positions[topic]]
                positions[topic] += 1
                if isinstance(item, QuestionDraft):
                    draft = item
                else:
                    draft, form = _ask(item, index, rng)
                    if form is not None:
                        used.append((item, form))
            if draft is None:
                del positions[topic]
            else:
                take(draft)

    # Never running out: ask about the same cards again in another form.
    for card, form in used:
        if len(result) >= count:
            break
        draft, _ = _ask(card, index, rng, skip=form)
        if draft is not None:
            take(draft)
    rng.shuffle(result)
    return result
