"""Exam-practice questions made from a deck's cards.

Pure: never imports Django and never uses the global random; the same cards and seed always give
the same questions, options and option order.
"""

import bisect
import functools
import itertools
import operator
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
    format_quantity,
    parse_quantity,
)
from cards.content.extract import PATH_SEPARATOR
from cards.content.merging import subject_words
from cards.content.subjects import GENERIC
from cards.content.text import normalise, plain
from cards.quiz.drafts import CardInfo, Option, QuestionDraft
from cards.quiz.lint import (
    Known,
    leading_number,
    option_quantity,
    question_problems,
    same_amount,
)

DISTRACTORS = 3
MAX_PER_TOPIC = 4  # questions of one exam from one heading of one note, at most
SAMPLE = 4  # deck values drawn per distractor wanted
TRIES = 3  # distractor draws per form before the next form is tried
MAX_TERM_WORDS = 6
_NOT_NAME_STARTS = """
    a an the not no never each every any all how why what when where who whichever whatever if
    only just also more less most least per from to up at in on by for with without over under
    use uses next typical other others
"""
NOT_NAME_STARTS = frozenset(_NOT_NAME_STARTS.split())
MAX_NAME_WORDS = 4
BLANK = "[...]"
MAX_ANSWER_WORDS = 8  # a longer answer is a sentence: among others its length gives it away
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
STATUS = re.compile(r"^[1-5]\d\d\s+[A-Z]")
NINES_TOPIC = re.compile(r"availab|durab|uptime|\bSLA\b|nines", re.IGNORECASE)
# Availability and durability: distractors are other counts of nines, not 49.995%.
NINES = tuple(Decimal(v) for v in ("90", "95", "99", "99.5", "99.9", "99.95", "99.99", "99.999",
                                   "99.9999", "99.99999999", "99.999999999"))  # fmt: skip


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
    """The value of an answer when it is a number with a unit ("900 seconds"); else None. An
    HTTP status ("429 Too Many Requests") is a name, not a number."""
    if "\n" in text or not text.lstrip("*_=` \t~≈<>").startswith(NUMBER_START):
        return None  # parse_quantity wants the number first: skip prose cheaply
    if STATUS.match(plain(text)):
        return None
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


@functools.lru_cache(maxsize=8192)
def _option_text(text: str) -> str:
    """Text as one option line; "" when it is a list or too long to be an option."""
    lines = [line.strip() for line in text.strip().split("\n")]
    if any(LIST_ITEM.match(line) for line in lines):
        return ""
    joined = " ".join(line for line in lines if line)
    if "[[" in joined or "==" in joined:
        joined = plain(joined)  # a link's words, a highlight's text: an option is plain
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
        if quantity is not None and any(same_amount(quantity, q) for q in self.quantities):
            return False
        self.seen.add(key)
        self.texts.append(text)
        if quantity is not None:
            self.quantities.append(quantity)
        return True


def _distinct(candidates: Iterable[str], taken: list[str]) -> Iterator[str]:
    """Distractors from `candidates` (in the given preference order, shuffled within it by the
    caller), none equal or equivalent to anything in `taken` or to each other; each candidate
    is read only when the caller asks for one more."""
    distinct = _Distinct(*taken)
    for candidate in candidates:
        text = _option_text(candidate)
        if text and distinct.add(text):
            yield text


def _pick(candidates: Iterable[str], taken: list[str], need: int) -> list[str]:
    """Up to `need` distractors from `candidates`, as _distinct gives them."""
    return list(itertools.islice(_distinct(candidates, taken), need))


# The deck index: built once per deck so each question looks only at its neighbours


class _Index:
    def __init__(self, cards: list[CardInfo]):
        self.by_heading: dict[tuple, list[CardInfo]] = defaultdict(list)
        self.by_note: dict[str, list[CardInfo]] = defaultdict(list)
        self.lists: list[CardInfo] = []
        self._by_unit: dict[str, list[Quantity]] | None = None
        self._values: dict[str, list[Decimal]] = {}
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

    def values_of(self, unit: str) -> list[Decimal]:
        """The distinct values with this unit in the deck, ascending."""
        if unit not in self._values:
            self._values[unit] = sorted({q.value for q in self.by_unit(unit)})
        return self._values[unit]

    def by_unit(self, unit: str) -> list[Quantity]:
        """Values with this unit symbol anywhere in the deck, parsed on first use (and shown to
        other threads only when whole: exams of one deck share its index)."""
        if self._by_unit is None:
            by_unit = defaultdict(list)
            seen = set()
            for card in self.cards:
                quantity = _quantity(_value(card))
                if quantity is not None and (quantity.unit, quantity.value) not in seen:
                    seen.add((quantity.unit, quantity.value))
                    by_unit[quantity.unit].append(quantity)
            self._by_unit = by_unit
        return self._by_unit.get(unit, [])


class _SameCards:
    """Cards as a cache key: the same CardInfo objects in the same order, compared by identity
    (CardInfo is frozen), so a deck's contents are not read again to find its index. deck_cards
    hands out the same objects for a deck that has not changed."""

    def __init__(self, cards: Iterable[CardInfo]):
        self.cards = tuple(cards)
        self.hash = hash(tuple(map(id, self.cards)))

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, _SameCards)
            and len(self.cards) == len(other.cards)
            and all(map(operator.is_, self.cards, other.cards))
        )


@functools.lru_cache(maxsize=4)  # decks; deck_cards keeps as many
def _deck_index(cards: _SameCards) -> tuple[_Index, list[tuple[tuple[str, str], list]]]:
    """The index of a deck's cards (sorted by id) and its cards by (domain, topic), in that
    order: what every exam of the deck needs, whatever its seed."""
    index = _Index(sorted(cards.cards, key=lambda card: card.id))
    by_topic: dict[tuple[str, str], list[CardInfo]] = defaultdict(list)
    for card in index.cards:
        by_topic[(card.domain, _topic(card))].append(card)
    return index, sorted(by_topic.items())


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
    answer: str,
    quantity: Quantity,
    index: _Index,
    rng: random.Random,
    *,
    need: int = DISTRACTORS,
    answer_of: str = "",
) -> Iterator[str]:
    """Up to `need` values of the answer's unit from the deck, then plausible neighbours; for
    availability and durability (`answer_of` is the stem), other counts of nines. Each is
    written out only when the caller reads it (the random draws are all made first)."""
    value = quantity.value
    in_deck = []
    if value > 0:  # values within MAX_NEIGHBOUR_RATIO of the answer, found by bisection
        values = index.values_of(quantity.unit)
        low = bisect.bisect_left(values, value / MAX_NEIGHBOUR_RATIO)
        high = bisect.bisect_right(values, value * MAX_NEIGHBOUR_RATIO)
        in_deck = [v for v in values[low:high] if v > 0]
    if len(in_deck) > need * SAMPLE:  # a big deck: a sample is as tempting, and quick
        in_deck = rng.sample(in_deck, need * SAMPLE)
    whole = value == value.to_integral_value()
    neighbours = [
        value * factor
        for factor in NEIGHBOURS
        if value > 0
        and (not whole or (value * factor) == (value * factor).to_integral_value())
        and not (quantity.dimension == PERCENT and value * factor > 100)  # no 135%
    ]
    if quantity.dimension == PERCENT and value >= NINES[0] and NINES_TOPIC.search(answer_of):
        in_deck, neighbours = [], [nines for nines in NINES if nines != value]
    values = _shuffled(in_deck, rng) + _shuffled(neighbours, rng)
    return itertools.islice(_distinct((_like(answer, quantity, v) for v in values), [answer]), need)


# Building questions


def _key(card: CardInfo, form: str) -> str:
    return f"card-{card.id}-{form}"


def _known(card: CardInfo, extra: Iterable[str] = ()) -> Known:
    """What the deck says is true of the card's fact: its own answer, what merged cards of
    other notes answer, and (for a set) its members."""
    return _known_of((_value(card), *card.true_answers, *extra))


@functools.lru_cache(maxsize=4096)
def _known_of(true: tuple[str, ...]) -> Known:
    quantities = tuple(q for q in (_quantity(text) for text in true) if q is not None)
    texts = frozenset(normalise(plain(text)) for text in true if text)
    return Known(true_values=texts, quantities=quantities)


def _explanation(card: CardInfo) -> str:
    """Why the key is right: the note's own line, with its context; the link is the source."""
    context = _topic(card)
    line = card.back if card.kind in ("cloze", "numeric") else f"{card.front} {card.back}"
    return f"{context}: {line}" if context and context not in line else line


def _question(card, form, kind, stem, options, rng, *, answer="") -> QuestionDraft:
    return QuestionDraft(
        kind=kind,
        stem=stem,
        options=tuple(options),
        answer=answer,
        explanation=_explanation(card),
        topic=_topic(card),
        card_id=card.id,
        source_url=card.source_url,
        key=_key(card, form),
        domain=card.domain,
        fact=_fact(card),
    )


def _single(card, form, stem, answer, distractors, rng, *, ascending=False):
    answer = _option_text(answer)
    if len(distractors) < DISTRACTORS or not answer:
        return None  # a question with junk or missing options teaches nothing
    options = [Option(answer, True)] + [Option(text, False) for text in distractors]
    if ascending or all(leading_number(option.text) is not None for option in options):
        options.sort(key=lambda option: leading_number(option.text))
    else:
        rng.shuffle(options)
    return _question(card, form, "single", stem, options, rng)


def _fact(card: CardInfo) -> str:
    """What an exam asks once: the deletions of one line ("10% first, the remaining 90%") are
    one fact, and so are the cells of one table row ("bin/" ends up on "PATH")."""
    if card.sibling_group:
        return f"line:{card.sibling_group}"
    if card.kind == "table" and "(vs " not in card.front:
        return f"row:{card.source_url}"  # the row's line
    return f"card:{card.id}"


def _clean_stem(text: str) -> str:
    """A card's front as an exam stem: highlights shown as plain words; a sentence with a blank
    asks what completes it."""
    text = text.replace("==", "")
    if BLANK in text:
        return f"{text}\n\nWhich completes the sentence?"
    return text


# Numbers: the key among values of the same unit, ascending and written alike


def _same_format(texts: list[str]) -> list[str]:
    """Thousands separators for all the numbers of a question or for none."""
    numbers = [NUMBER_IN_TEXT.search(text) for text in texts]
    big = [m.group(0) for m in numbers if m and float(m.group(0).replace(",", "")) >= 1000]
    if not big or len({"," in number for number in big}) == 1:
        return texts
    fixed = []
    for text, match in zip(texts, numbers, strict=True):
        value = Decimal(match.group(0).replace(",", "")) if match else None
        if value is not None and value >= 1000 and "," not in match.group(0):
            text = text[: match.start()] + _number_text(value, commas=True) + text[match.end() :]
        fixed.append(text)
    return fixed


def _number_choice(card, index, rng):
    answer = plain(_value(card))
    quantity = _quantity(answer)
    if quantity is None:
        return None
    known = _known(card)
    offered = _number_distractors(
        answer, quantity, index, rng, need=DISTRACTORS * 3, answer_of=card.front
    )
    candidates = (
        text
        for text in offered
        if (value := _quantity(text)) is not None
        and not any(same_amount(value, true) for true in known.quantities)
    )
    texts = _same_format([answer, *itertools.islice(candidates, DISTRACTORS)])
    return _single(card, "number", _clean_stem(card.front), texts[0], texts[1:], rng,
                   ascending=True)  # fmt: skip


def _numeric_entry(card, index, rng):
    answer = _value(card)
    if _quantity(answer) is None:
        return None
    stem = f"{card.front.replace('==', '')}\n\nType the value, with its unit."
    return _question(card, "entry", "numeric", stem, (), rng, answer=plain(answer))


# Terms: "which of these is described?", when the terms name things


@functools.lru_cache(maxsize=8192)
def _names_a_thing(term: str) -> bool:
    """Does an answer name something, as exam options do ("Provisioned concurrency",
    "SnapStart", "DLQ", `bootstrap`, "Amazon ECR"), rather than say something ("rejects the
    deployment", "Whichever comes first", "Not with SnapStart")?"""
    text = plain(term).strip()
    words = text.split()
    if not words or len(words) > MAX_TERM_WORDS or words[0].casefold() in NOT_NAME_STARTS:
        return False
    if "`" in term or any(
        c.isupper() or c.isdigit() or c in "_.:/@$" for w in words for c in w[1:]
    ):
        return True  # code, CamelCase, ALLCAPS, versions: a name
    if len(words) == 1:
        return False  # "Notice", "Price": a label, not a name
    return words[0][0].isupper() and len(words) <= MAX_NAME_WORDS


def _term_choice(card, index, rng):
    term = _term(card)
    definition = plain(card.back)
    if not _names_a_thing(term) or normalise(term) in normalise(definition):
        return None
    siblings = [
        _term(other)
        for other in _shuffled(index.siblings(card, ("definition",)), rng)
        if _names_a_thing(_term(other))
    ]
    distractors = _pick_like(siblings, term, _known(card), rng)
    subject = _subject(card)
    # The definition as a sentence of its own: "keeps a set number of environments warm" was a
    # fragment on top of the question.
    description = definition[:1].upper() + definition[1:]
    if not description.endswith((".", "!", "?", "…")):
        description += "."
    stem = f"{description}\n\nIn {subject}, which of these is described above?"
    return _single(card, "term", stem, term, distractors, rng)


def _subject(card: CardInfo) -> str:
    front = plain(card.front)
    return front.split(": ", 1)[0] if ": " in front else card.note_title


# Table cells: the same attribute of other things


def _cell_siblings(card: CardInfo, index: _Index) -> list[CardInfo]:
    row, column = _cell(card)
    comparison = "(vs " in card.front  # `| | SQS | SNS |`: the row is the attribute
    return [
        other
        for other in index.siblings(card, ("table",))
        if other.id != card.id
        and (
            (_cell(other)[0] == row and _cell(other)[1] != column)
            if comparison
            else (_cell(other)[1] == column and _cell(other)[0] != row)
        )
    ]


def _cell(card: CardInfo) -> tuple[str, str]:
    """A table cell's row and column (normalised), from its identity "row | column"."""
    row, _, column = card.identity.rpartition(" | ")
    return row, column


def _cell_choice(card, index, rng):
    if _quantity(card.back) is not None:
        return _number_choice(card, index, rng)
    candidates = [other.back for other in _shuffled(_cell_siblings(card, index), rng)]
    distractors = _pick_like(candidates, card.back, _known(card), rng)
    return _single(card, "cell", _clean_stem(card.front), card.back, distractors, rng)


# Short answers: other answers of the same kind and length nearby


def _answer_choice(card, index, rng):
    answer = plain(_value(card))
    if len(answer.split()) > MAX_ANSWER_WORDS or _quantity(answer) is not None:
        return None  # a sentence among sentences is guessed by its length
    if not _names_a_thing(answer):
        return None  # a phrase among phrases from other lines is no plausible choice
    if card.kind == "cloze" and card.sibling_group and "; " in plain(card.front):
        return None  # an enumeration's other items are in the stem: nothing to offer
    kinds = (card.kind,)
    nearby = _shuffled(index.siblings(card, kinds), rng)
    nearby += _shuffled(index.in_note(card, kinds), rng)
    candidates = [
        _value(other)
        for other in nearby
        if not (card.sibling_group and other.sibling_group == card.sibling_group)
        and _names_a_thing(_value(other))
    ]
    distractors = _pick_like(candidates, answer, _known(card), rng)
    return _single(card, "answer", _clean_stem(card.front), answer, distractors, rng)


def _pick_like(candidates: Iterable[str], key: str, known: Known, rng) -> list[str]:
    """Distractors like the key: of its kind (number or words), of a similar length, never true
    of the subject; at least one as long as the key when there is one, so length gives nothing
    away."""
    key_words = len(plain(key).split())
    kind = _kind(key)
    usable = []
    for text in candidates:
        text = _option_text(text)
        if not text or normalise(text) in known.true_values or _kind(text) != kind:
            continue
        words = len(text.split())
        if abs(words - key_words) > max(2, key_words):
            continue
        usable.append(text)
    usable.sort(key=lambda text: abs(len(text) - len(key)))
    chosen = _pick(usable, [key], DISTRACTORS)
    if chosen and all(len(text) < len(key) for text in chosen):
        longer = [text for text in usable if len(text) >= len(key) and text not in chosen]
        replacement = _pick(longer, [key, *chosen[:-1]], 1)
        if replacement:
            chosen[-1] = replacement[0]
    return chosen


def _kind(text: str) -> str:
    quantity = _quantity(text)
    return quantity.dimension if quantity is not None else "words"


# Sets: select TWO or THREE of a list's items, the others from other sets


def _list_distractors(card: CardInfo, index: _Index, rng: random.Random) -> Iterator[str]:
    """Items of lists with another label ("Push sources" for "Poll-based sources"); items of
    this set are known true and never offered as wrong."""
    label = normalise(_list_label(card))
    others = [other for other in index.lists if normalise(_list_label(other)) != label]
    for other in _shuffled(others, rng):
        yield from _list_items(other)


def _select_many(card, index, rng):
    items = _list_items(card)
    if len(items) < 3:
        return None
    want = 3 if len(items) >= 4 and rng.random() < 0.5 else 2
    correct = _shuffled(items, rng)[:want]
    known = _known(card, items)
    candidates = [text for text in _list_distractors(card, index, rng)]
    distractors = _pick_like(candidates, max(items, key=len), known, rng)
    if len(distractors) < DISTRACTORS:
        return None
    options = [Option(text, True) for text in correct]
    options += [Option(text, False) for text in distractors]
    rng.shuffle(options)
    word = NUMBER_WORDS[want]
    stem = f"Which {word} of these are {_list_label(card).rstrip('?')}? (Select {word}.)"
    return _question(card, "select", "multiple", stem, options, rng)


Form = Callable[[CardInfo, _Index, random.Random], QuestionDraft | None]


def _forms(card: CardInfo) -> list[Form]:
    """Ways to ask about this card, best first; later ones are the fallbacks."""
    if card.kind == "list":
        return [_select_many]
    if _quantity(_value(card)) is not None:
        return [_number_choice, _numeric_entry]
    if card.kind == "definition":
        return [_term_choice]
    if card.kind == "table":
        return [_cell_choice]
    if card.kind in ("basic", "reversed", "cloze"):
        return [_answer_choice]
    return []


def _ask(card: CardInfo, index: _Index, rng: random.Random) -> QuestionDraft | None:
    """The first form of `card` that makes a question passing every rule; each form is tried
    with other distractors before the next."""
    for form in _forms(card):
        for _attempt in range(TRIES):
            draft = form(card, index, rng)
            if draft is None:
                break
            if not question_problems(draft, _known(card)):
                return draft
    return None


def first_drafts(cards: list[CardInfo], seed: int | str = 0) -> list[tuple]:
    """For `make quality`: each card's first draft (its first form, first distractors) and the
    rules it breaks, before generation tries again: (card, draft, problems)."""
    rng = random.Random(str(seed))
    index = _Index(sorted(cards, key=lambda c: c.id))
    found = []
    for card in cards:
        for form in _forms(card):
            draft = form(card, index, rng)
            if draft is not None:
                found.append((card, draft, question_problems(draft, _known(card))))
                break
    return found


def question_for_card(
    card: CardInfo, pool: list[CardInfo], rng: random.Random
) -> QuestionDraft | None:
    """One question about `card`, with distractors from `pool` (the deck); None when no form
    makes a question that passes the rules."""
    return _ask(card, _Index(sorted(pool, key=lambda c: c.id)), rng)


def generate_questions(
    cards: list[CardInfo],
    *,
    count: int,
    seed: int | str,
    topics: set[str] | None = None,
    authored: Iterable[QuestionDraft] = (),
    domains: Iterable[tuple[str, float]] = (),
    skip: frozenset[int] | set[int] = frozenset(),
) -> list[QuestionDraft]:
    """Up to `count` questions, each fact asked once: drawn by domain weight (an exam
    blueprint), spread over topics within a domain, authored questions first. A deck that
    cannot make `count` without repeating a fact gives fewer. Cards outside `topics` still lend
    distractors."""
    rng = random.Random(str(seed))
    index, by_topic = _deck_index(_SameCards(cards))
    pools: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for draft in sorted(authored, key=lambda d: (d.topic, d.key, d.stem)):
        if topics is None or draft.topic in topics:
            pools[draft.domain][draft.topic].append(draft)
    for domain in pools.values():
        for queue in domain.values():
            rng.shuffle(queue)
    for (domain, topic), found in by_topic:
        if topics is not None and topic not in topics:
            continue
        # Cards in `skip` (an instructor suppressed their question) lend options.
        asked = [card for card in found if card.id not in skip] if skip else found
        if asked:
            pools[domain][topic].extend(_shuffled(asked, rng))

    weights = {name: weight for name, weight in domains}
    quotas = _quotas(count, weights, pools)
    result: list[QuestionDraft] = []
    facts: set[str] = set()
    keys: set[str] = set()

    figures: dict[tuple, list[frozenset[str]]] = defaultdict(list)

    def take(draft: QuestionDraft) -> bool:
        fact = draft.fact or f"stem:{normalise(plain(draft.stem))}"
        if fact in facts:
            return False
        # One figure asked of one thing from two places ("Memory: default quota?" and "Memory:
        # from 128 MB to [...]", both 10,240 MB) is one fact too.
        value = _key_value(draft)
        words = subject_words(draft.stem) - GENERIC if value else frozenset()
        if value and any(words & seen for seen in figures[value]):
            return False
        facts.add(fact)
        if value:
            figures[value].append(words)
        key, ordinal = draft.key or "question", 1
        while key in keys:
            ordinal += 1
            key = f"{draft.key or 'question'}-{ordinal}"
        keys.add(key)
        result.append(replace(draft, key=key, fact=fact))
        return True

    streams = {domain: _stream(pools[domain], index, rng, take) for domain in sorted(pools)}
    live = set(streams)

    def draw(domain: str, want: int) -> int:
        made = 0
        while made < want and domain in live:
            if not next(streams[domain], False):
                live.discard(domain)  # this domain has asked all it can
            else:
                made += 1
        return made

    for domain in sorted(quotas, key=lambda name: (-quotas[name], name)):
        draw(domain, quotas[domain])
    # A domain that could not fill its share: the others make it up, again by weight; and
    # when every topic has given its MAX_PER_TOPIC, a topic may give more rather than the exam
    # being short.
    for cap in (MAX_PER_TOPIC, None):
        if cap is None:
            streams.update({d: _stream(pools[d], index, rng, take, cap=None) for d in pools})
            live = set(streams)
        while len(result) < count and live:
            shares = _quotas(count - len(result), weights, {d: pools[d] for d in live})
            if not sum(draw(domain, shares[domain]) for domain in sorted(shares)):
                break
    return _spread_keys(result[:count], rng)


def _key_value(draft: QuestionDraft) -> tuple | None:
    """The figure a question's key gives, in base units, or None."""
    key = next((option.text for option in draft.options if option.correct), draft.answer)
    quantity = option_quantity(key) if key else None
    return (quantity.base, quantity.dimension) if quantity is not None else None


def _quotas(count: int, weights: dict[str, float], pools: dict) -> dict[str, int]:
    """How many questions each domain gets: by weight (largest remainder) among the domains
    that have material; without a blueprint, every domain alike."""
    present = [name for name in pools if pools[name]]
    shares = {name: weights.get(name, 0.0) for name in present}
    if not any(shares.values()):
        shares = dict.fromkeys(present, 1.0)
    total = sum(shares.values()) or 1.0
    exact = {name: count * share / total for name, share in shares.items()}
    quotas = {name: int(value) for name, value in exact.items()}
    by_remainder = sorted(exact, key=lambda name: (quotas[name] - exact[name], name))
    for name in by_remainder[: count - sum(quotas.values())]:
        quotas[name] += 1
    return quotas


def _stream(
    topics: dict[str, list], index, rng, take, *, cap: int | None = MAX_PER_TOPIC
) -> Iterator[bool]:
    """One domain's questions, one per `next`: a topic at a time in turn, at most
    MAX_PER_TOPIC from one topic; ends when the domain has nothing more to ask."""
    positions = dict.fromkeys(sorted(topics), 0)
    taken = dict.fromkeys(positions, 0)
    order = list(positions)
    rng.shuffle(order)
    while order:
        for topic in list(order):
            queue = topics[topic]
            found = False
            while (cap is None or taken[topic] < cap) and positions[topic] < len(queue):
                item = queue[positions[topic]]
                positions[topic] += 1
                draft = item if isinstance(item, QuestionDraft) else _ask(item, index, rng)
                if draft is not None and take(draft):
                    taken[topic] += 1
                    found = True
                    break
            if found:
                yield True
            else:
                order.remove(topic)


def _spread_keys(questions: list[QuestionDraft], rng: random.Random) -> list[QuestionDraft]:
    """Keys of 4-option single-answer questions at each position about equally often (numbers
    keep their ascending order), and the questions in a random order."""
    positions: list[int] = []
    spread = []
    for question in questions:
        numbers = all(leading_number(option.text) is not None for option in question.options)
        if question.kind != "single" or len(question.options) != 4 or numbers:
            spread.append(question)
            continue
        if not positions:
            positions = [0, 1, 2, 3]
            rng.shuffle(positions)
        where = positions.pop()
        key = next(option for option in question.options if option.correct)
        others = [option for option in question.options if not option.correct]
        spread.append(replace(question, options=tuple(others[:where] + [key] + others[where:])))
    rng.shuffle(spread)
    return spread
