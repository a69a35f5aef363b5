"""Which cards of a deck ask the same fact, so the deck asks it once (QUALITY.md, rule 8).

Five people's notes on one topic repeat each other: "SQS: Visibility timeout?" in one, "Amazon
SQS: Visibility timeout?" in another; "S3: max object size?" -> 50 TB beside "A single object can
be as large as [...]" -> 50 TB. Two cards of different notes ask the same fact when

- they give the same figure (30 s and 30 seconds are one figure) about the same thing: their
  questions share words beyond the name of their notes' subject, and they ask for the same bound
  (a default is not a maximum); or
- neither gives a figure and they ask about the same term ("Delay queue?" and "Delivery delay
  (delay queue)?"), with short answers that agree ("yes" is not "no").

Nothing named in one may be named differently in the other ("WebSocket API" and "REST API" both
time out at 29 s, but those are two facts), and a group of cards holds only cards that agree with
each other, so that two facts never join through a third card that resembles both.

Pure: never imports Django.
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from cards.calculators.units import parse_quantity
from cards.content.lint import BLANK
from cards.content.subjects import GENERIC
from cards.content.text import normalise, plain

WORD = re.compile(r"[A-Za-z0-9][\w/-]*")
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s*[A-Za-z%]+\b)?")  # not java21
NUMBER_START = re.compile(r"\d[\d,]*(?:\.\d+)?(?:\s*[A-Za-z/%$-]+)?")
# Where the part of a sentence about one figure ends.
SENTENCE_PART = re.compile(r"[.;]\s|,\s+(?:so|and|but|which|while|then)\b|\s[-–—]\s")
COMPARED = re.compile(r"\(vs [^)]*\)")
PARENTHESES = re.compile(r"\(([^()]*)\)")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<month>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)"
_MONTH_FIRST = _MONTH.replace("month", "month2")
DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})\s+{_MONTH}|{_MONTH_FIRST}\s+(?P<day2>\d{{1,2}}),?)"
    r"\s+(?P<year>(?:19|20)\d\d)\b"
)
HOW = re.compile(r"\bhow (?:long|many|much|big|large|often|fast)\b", re.IGNORECASE)
# Words that say nothing about which fact is asked.
_STOP_WORDS = """
    a an and the of to in on at by for with or is are be can do does how what which when why who
    where it its this that these those there so as from into than then also too only just up
    most least about per each every any all you your one amazon aws gw size much many
    big large small high low new now
"""
STOP = frozenset(_STOP_WORDS.split())
# Which bound of a setting a question asks for: "max 12 hours" and "30 seconds by default" are two
# facts about one visibility timeout.
BOUNDS = (
    (
        "max",
        re.compile(
            r"\b(?:max(?:imum)?|limit|largest|biggest|longest|up to|at most"
            r"|as (?:large|big|long) as|caps?|ceiling)\b",
            re.IGNORECASE,
        ),
    ),
    ("min", re.compile(r"\b(?:min(?:imum)?|smallest|shortest|at least|from)\b", re.IGNORECASE)),
    ("default", re.compile(r"\b(?:default|unless you change it)\b", re.IGNORECASE)),
    ("over", re.compile(r"\b(?:above|over|beyond|more than|exceeds?)\b", re.IGNORECASE)),
)
# One word for one idea: "How long does a stream keep records?" asks its retention.
SAME_WORD = {"keep": "retention", "kept": "retention", "retain": "retention",
             "retained": "retention", "maximum": "max", "minimum": "min"}  # fmt: skip
_BOUND_WORDS = """
    max maximum limit largest biggest longest min minimum smallest shortest default cap caps
    ceiling
"""
BOUND_WORDS = frozenset(_BOUND_WORDS.split())
CLAUSE = re.compile(r"[,;.()]|\s[-–—]\s")
NEAR_BLANK = 30  # characters before a blank that say which bound it asks
SHORT_ANSWER_WORDS = 4
RANGE_WORDS = 10  # an answer this short gives all its figures
CACHED = 1 << 16  # texts whose reading is kept: a deck's questions repeat on every import
MAX_BLOCK = 400  # classes sharing one term beyond which the term tells nothing apart
SMALL_COUNT = 10  # a count this small ("2 access keys") tells little on its own
MIN_SHARED = 2  # words two figures' questions share, or one rare word
RARE = 12  # a word on at most this many cards (or 1 in 40) names one thing
MIN_OVERLAP = Decimal("0.5")  # share of the shorter question's words the other holds too
TOPICS_OVERLAP = Decimal("0.6")  # share of all words, for notes on two subjects


@dataclass(frozen=True)
class Asked:
    """What merging reads of a card."""

    id: int
    note: int
    question: str  # the front as shown, plain text
    answer: str  # the answer as shown, plain text
    topic: str = ""  # what the card's note is about ("Amazon SQS")


@lru_cache(maxsize=CACHED)
def _stem(word: str) -> str:
    word = word.casefold()
    word = word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    return SAME_WORD.get(word, word)


@lru_cache(maxsize=CACHED)
def _word(word: str) -> str | None:
    """A word as questions are compared by it; None for a stop word or a bare number."""
    if word.casefold() in STOP or word.replace(",", "").isdigit():
        return None
    return _stem(word)


@lru_cache(maxsize=CACHED)
def _words(text: str) -> frozenset[str]:
    found = {_word(word) for word in WORD.findall(text)}
    found.discard(None)
    return frozenset(found)


@lru_cache(maxsize=CACHED)
def _question(question: str) -> str:
    text = plain(question)
    if "[" in text:
        text = BLANK.sub(" [...] ", text)
    if "(vs " in text:
        text = COMPARED.sub(" ", text)
    return HOW.sub(" ", text)  # "How long does a stream keep records?" asks of records


@lru_cache(maxsize=CACHED)
def subject_words(question: str, topic: str = "") -> frozenset[str]:
    """The words of a question that say what it is about: "Amazon SQS: Visibility timeout?" ->
    {sqs, visibility, timeout}, or {visibility, timeout} in a note about SQS. Bare numbers say
    which one of several, not what, and bounds ("max", "default") are read apart."""
    words = _words(BLANK.sub(" ", _question(question)))
    return frozenset(word for word in words - _words(topic) if word not in BOUND_WORDS)


@lru_cache(maxsize=CACHED)
def names(question: str, topic: str = "") -> frozenset[frozenset[str]]:
    """The terms a question asks about: its words, and for "Delivery delay (delay queue)" also
    each side of the parentheses."""
    text = _question(question)
    found = {subject_words(text, topic)}
    for inside in PARENTHESES.findall(text):
        found.add(subject_words(inside, topic))
        found.add(subject_words(PARENTHESES.sub(" ", text), topic))
    return frozenset(name for name in found if name)


@lru_cache(maxsize=CACHED)
def entities(question: str) -> frozenset[str]:
    """Things a question names by a name of their own: "REST", "LSI", "WebSocket",
    "Standard-IA" (all capitals, or capitals inside the word), not "Object" or "Message"."""
    found = {_entity(word) for word in WORD.findall(BLANK.sub(" ", _question(question)))}
    found.discard(None)
    return frozenset(found)


@lru_cache(maxsize=CACHED)
def _entity(word: str) -> str | None:
    if word.casefold() in STOP or len(word) < 2 or not any(char.isupper() for char in word[1:]):
        return None
    return _stem(word)


@lru_cache(maxsize=CACHED)
def bounds(question: str, answer: str) -> frozenset[str]:
    """Which bound a question asks for: near its blank for a cloze ("default [...], can go up to
    12h" asks the default), else anywhere in it, and the words of its answer before the figure
    ("max 14 days")."""
    text = plain(question)
    blank = BLANK.search(text)
    if blank:  # the blank's own clause: "default [...]", not ", can go up to 12h" after it
        before = CLAUSE.split(text[max(0, blank.start() - NEAR_BLANK) : blank.start()])[-1]
        after = CLAUSE.split(text[blank.end() : blank.end() + NEAR_BLANK])[0]
        text = BLANK.sub(" ", f"{before} {after}")
    number = re.search(r"\d", plain(answer))
    text += " " + plain(answer)[: number.start() if number else 0]
    return frozenset(bound for bound, pattern in BOUNDS if pattern.search(text))


@lru_cache(maxsize=CACHED)
def _quantity(text: str) -> tuple[Decimal, str] | None:
    quantity = parse_quantity(text)
    if quantity is not None:
        return quantity.base, quantity.dimension
    number = re.match(r"[\d,]+(?:\.\d+)?", text).group(0).replace(",", "")
    return Decimal(number), "count"


@lru_cache(maxsize=CACHED)
def figures(answer: str) -> frozenset[tuple[Decimal, str]]:
    """The figures an answer gives, in base units: "30 s" and "30 seconds" are one figure, a
    date is a figure of its own and a year alone none. A short answer gives every figure in it
    ("50 ms to 29 s", "max 14 days"); a longer one the figure it starts with, if any."""
    text = plain(answer).strip()
    found = {(Decimal(_date_number(date)), "date") for date in DATE.finditer(text)}
    text = DATE.sub(" ", text)
    if len(text.split()) <= RANGE_WORDS:
        found |= {_quantity(match.group(0)) for match in NUMBER.finditer(text)}
    else:
        match = NUMBER_START.match(text.strip())
        found |= {_quantity(match.group(0))} if match else set()
    return frozenset(value for value in found if not _is_year(value))


def _date_number(date: re.Match) -> int:
    """ "10 November 2026" and "Nov 10, 2026" -> 20261110."""
    day = int(date.group("day") or date.group("day2"))
    month = (date.group("month") or date.group("month2"))[:3].casefold()
    return int(date.group("year")) * 10_000 + (MONTHS.index(month) + 1) * 100 + day


def _is_year(value: tuple[Decimal, str]) -> bool:
    number, dimension = value
    return dimension == "count" and number == number.to_integral() and 1900 <= number <= 2100


@lru_cache(maxsize=CACHED)
def _context_figures(question: str) -> frozenset[tuple[Decimal, str]]:
    """The other figures of a cloze's sentence ("[...] writes/s and 5,500 reads/s" -> 5,500):
    two notes whose lines carry the same figures state the same fact. Small counts say little."""
    found = set()
    if not BLANK.search(question):
        return frozenset()  # a question's own figures say which one it asks, no more
    for match in NUMBER.finditer(BLANK.sub(" ", plain(question))):
        value, dimension = _quantity(match.group(0))
        if dimension != "count" or value > SMALL_COUNT:
            found.add((value, dimension))
    return frozenset(found)


@lru_cache(maxsize=CACHED)
def focus(question: str) -> str:
    """What a cloze asks: its lead ("Amazon S3:") and the blank's own part of the sentence, not
    the rest of a long line ("(it was 256 KiB until 2025)"). Other questions are all focus."""
    text = _question(question)
    blank = BLANK.search(text)
    if not blank:
        return text
    lead = text[: text.index(": ")] if ": " in text[: blank.start()] else ""
    before = SENTENCE_PART.split(text[: blank.start()])[-1]
    after = SENTENCE_PART.split(text[blank.end() :].split("(")[0])[0]
    return f"{lead} {before} {after}"


@dataclass(frozen=True)
class _Read:
    card: Asked
    words: frozenset[str]
    focus: frozenset[str]
    names: frozenset[frozenset[str]]
    named: frozenset[str]
    bounds: frozenset[str]
    figures: frozenset[tuple[Decimal, str]]
    context: frozenset[tuple[Decimal, str]]
    topic: frozenset[str]
    short_answer: str | None  # a short answer without a figure ("yes", "FIFO queue")

    @property
    def signature(self) -> tuple:
        """What merging reads of the card, without the card: equal signatures read alike."""
        return (self.words, self.focus, self.names, self.named, self.bounds, self.figures,
                self.context, self.topic, self.short_answer)  # fmt: skip

    @classmethod
    def of(cls, card: Asked) -> "_Read":
        answer = normalise(plain(card.answer))
        short = len(answer.split()) <= SHORT_ANSWER_WORDS
        given = figures(card.answer)
        words = subject_words(card.question, card.topic)
        narrow = subject_words(focus(card.question), card.topic)
        return cls(
            card,
            words,
            narrow or words,
            names(card.question, card.topic),
            entities(focus(card.question)) - _words(card.topic),
            bounds(card.question, card.answer),
            given,
            _context_figures(card.question) - given,
            _words(card.topic),
            answer if short and not given else None,
        )


def _agree(one: _Read, other: _Read) -> bool:
    """Could two cards ask one fact at all? Every pair in a group of merged cards agrees."""
    if one.named - other.words and other.named - one.words:
        return False  # "WebSocket API" and "REST API": two things
    if bool(one.figures) != bool(other.figures) or (
        one.figures and not one.figures & other.figures
    ):
        return False  # "50 ms to 29 s" gives the 29 s of "max 29 s"
    if one.bounds and other.bounds and not one.bounds & other.bounds:
        return False  # the default and the maximum of one setting
    return (
        one.short_answer is None
        or other.short_answer is None
        or (one.short_answer == other.short_answer)
    )


def _same(one: _Read, other: _Read, rare: set[str], *, one_note: bool | None = None) -> bool:
    """Do two cards of different notes ask the same fact? `rare` words name one thing."""
    if one_note is None:
        one_note = one.card.note == other.card.note
    if one_note or not one.words or not other.words:
        return False
    if not _agree(one, other):
        return False
    # Definitions of one term ask one thing in notes on one subject only: "Provisioned
    # concurrency?" in a note on pricing and in one on SnapStart asks two things.
    one_subject = one.topic <= other.topic or other.topic <= one.topic
    if not one.figures:
        return one_subject and bool(one.names & other.names)
    # A figure is asked of one subject when a card names the other's ("SQS: max retention?" in
    # a cheat sheet, beside a note on SQS).
    related = (
        one_subject
        or one.topic <= other.topic | other.words
        or other.topic <= one.topic | one.words
        or bool(one.topic & other.words - GENERIC or other.topic & one.words - GENERIC)
    )
    if related and one.names & other.names:
        return True
    shared = one.focus & other.focus
    if shared and one.context & other.context:
        return True  # "[...] writes/s and 5,500 reads/s" and "at least [...] PUT ... and 5,500 GET"
    smaller = min(len(one.focus), len(other.focus))
    if Decimal(len(shared)) / smaller < MIN_OVERLAP:
        return False
    mine, theirs = one.topic - GENERIC, other.topic - GENERIC
    if not related and mine and theirs and not mine & theirs:
        return False  # notes on SQS and on Kinesis: 14 days is two facts
    if not related:
        # Notes on two subjects ("Lambda pricing", "Lambda SnapStart") both saying 512 MB: the
        # same fact only if their questions are mostly the same words, beyond those subjects.
        topics = one.topic | other.topic
        mine, theirs = one.focus - topics, other.focus - topics
        return bool(mine & theirs) and Decimal(len(mine & theirs)) / len(mine | theirs) >= (
            TOPICS_OVERLAP
        )
    if len(shared) >= MIN_SHARED:
        return True
    # One shared word is enough beside a telling figure ("14 days", not "0" or "2").
    telling = any(
        dimension != "count" or value > SMALL_COUNT
        for value, dimension in one.figures & other.figures
    )
    return telling and bool(shared & rare or one.bounds & other.bounds)


def _likeness(one: _Read, other: _Read) -> Decimal:
    """How alike two cards asking one fact are: the share of words they share, and more when
    one's answer names the thing the other asks about ("... 29 s for REST")."""
    union = one.focus | other.focus
    score = Decimal(len(one.focus & other.focus)) / max(len(union), 1)
    if one.named & _words(other.card.answer) or other.named & _words(one.card.answer):
        score += 1
    return score


def same_fact(one: Asked, other: Asked) -> bool:
    """Do two cards of different notes ask the same fact?"""
    first, second = _Read.of(one), _Read.of(other)
    return _same(first, second, set(first.focus | second.focus))


def groups(cards: list[Asked], apart: set[frozenset[int]]) -> list[list[Asked]]:
    """Cards asking the same fact, in groups of two or more (by card id, lowest first). Pairs in
    `apart` (an instructor split them) never join one group.

    Cards that read alike (the same question words, figures and bounds: one table pasted into a
    hundred notes) are one class, compared once, so the work grows with the distinct questions
    of a deck, not with its copies."""
    read = [_Read.of(card) for card in cards]
    counts = Counter(word for item in read for word in item.focus)
    limit = max(RARE, len(cards) // 40)
    rare = {word for word, count in counts.items() if count <= limit}
    split = {card_id for pair in apart for card_id in pair}
    by_reading: dict[tuple, list[int]] = {}
    for index, item in enumerate(read):
        key = item.signature if cards[index].id not in split else ("apart", cards[index].id)
        by_reading.setdefault(key, []).append(index)
    classes = list(by_reading.values())  # card indexes; a card kept apart is a class of its own
    first = [read[indexes[0]] for indexes in classes]
    notes = [frozenset(cards[index].note for index in indexes) for indexes in classes]
    apart_classes = set()
    class_of = {cards[indexes[0]].id: number for number, indexes in enumerate(classes)}
    for pair in apart:
        ids = [class_of.get(card_id) for card_id in pair]
        if None not in ids:
            apart_classes.add(frozenset(ids))

    parent = list(range(len(classes)))
    members: dict[int, list[int]] = {number: [number] for number in range(len(classes))}

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    def join(one: int, other: int) -> None:
        a, b = root(one), root(other)
        if a == b:
            return
        for x in members[a]:
            for y in members[b]:
                if frozenset((x, y)) in apart_classes or not _agree(first[x], first[y]):
                    return
        if len(members[a]) < len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a] += members.pop(b)

    # Only classes that share a term, or a figure and a word, are compared; a term on more
    # than MAX_BLOCK classes names nothing in particular.
    candidates: dict[tuple, list[int]] = {}
    for number, item in enumerate(first):
        for name in item.names:
            candidates.setdefault(("name", name), []).append(number)
        for value in item.figures:
            for word in item.focus:
                if counts[word] <= limit * 4:
                    candidates.setdefault(("figure", value, word), []).append(number)
    compared: set[tuple[int, int]] = set()
    pairs = []
    for numbers in candidates.values():
        if len(numbers) > MAX_BLOCK:
            continue
        for position, one in enumerate(numbers):
            for other in numbers[position + 1 :]:
                if (one, other) in compared:
                    continue
                compared.add((one, other))
                one_note = len(notes[one] | notes[other]) == 1
                if _same(first[one], first[other], rare, one_note=one_note):
                    pairs.append((_likeness(first[one], first[other]), one, other))
    # The closest pairs join first: "Integration timeout? 50 ms to 29 s for REST" joins the REST
    # API's card, which then keeps the WebSocket API's out.
    for _likeness_of, one, other in sorted(pairs, key=lambda pair: (-pair[0], pair[1], pair[2])):
        join(one, other)
    found: dict[int, list[Asked]] = {}
    for number, indexes in enumerate(classes):
        found.setdefault(root(number), []).extend(cards[index] for index in indexes)
    return [
        sorted(group, key=lambda card: card.id)
        for group in found.values()
        if len({card.note for card in group}) > 1
    ]
