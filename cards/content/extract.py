"""Turn a note body into flashcard drafts whose keys survive edits, corrections and reordering.

Pure: never imports Django and never raises; what it cannot understand becomes a warning by line.
"""

import bisect
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from cards.calculators.units import parse_quantity
from cards.content.source import Issue, repair_mojibake
from cards.content.subjects import (
    ask,
    lead,
    mentions,
    note_topic,
    says_something,
    section_topic,
    subject_of,
)
from cards.content.text import (
    ANKI_CLOZE,
    HISTORY,
    MASK_CHAR,
    WORD,
    content_words,
    mask,
    normalise,
    plain,
    sentences,
    words,
)
from cards.content.tree import Bullet, BulletList, MultilineCard, NoteTree, Paragraph, Table

KINDS = ("basic", "reversed", "cloze", "definition", "list", "table", "numeric")

PATH_SEPARATOR = " › "
MAX_UNIT_CHARS = 1000  # a "sentence" longer than this is prose, not a card
MAX_TABLE_COLUMNS = 8
MAX_TABLE_ROWS = 40
MAX_TERM_WORDS = 6
MAX_TERM_CHARS = 60
MAX_WORDS_BESIDE_FIGURES = 8  # a definition of figures and this few words is asked per figure
MAX_LEFT_BESIDE_HIGHLIGHT = 3  # words a definition says besides its highlight and still a card
PARENTHESES = re.compile(r"\([^()]*\)")
# An example's figures illustrate; they are not facts: "(e.g. Standard-IA after 30 days)".
EXAMPLE = re.compile(
    r"\((?:e\.g\.|eg\b|for example|for instance|say\b)[^()]*\)|\be\.g\.[^;.()]*", re.IGNORECASE
)
MAX_LIST_ITEM_WORDS = 8
SHORT_SENTENCE_WORDS = 6
MAX_TRAIL = 2  # parent bullets named in a nested bullet's front
MAX_SEPARATOR_CANDIDATES = 8  # a line of many `a::b::c` tokens is code, and must stay linear

# Words that label a remark rather than name something worth remembering.
MEANINGLESS = frozenset(
    {
        *("note", "notes", "nb", "n b", "example", "examples", "eg", "e g", "ie", "i e"),
        *("todo", "to do", "fixme", "tbd", "source", "sources", "see", "see also", "more"),
        *("ref", "refs", "reference", "references", "link", "links", "related", "tip", "tips"),
        *("warning", "caution", "important", "info", "update", "updated", "edit", "created"),
        *("date", "author", "tags", "tag", "aliases", "url", "further reading", "read more"),
        *("status", "modified", "up", "parent"),
    }
)
# Headings whose lists are grab-bags or references, not something to recite.
UNLISTABLE = MEANINGLESS | {
    *("misc", "miscellaneous", "other", "others", "random", "scratch", "resources"),
    *("questions", "q a", "qa", "faq", "open questions", "summary", "contents", "toc"),
}
REMARK_WORDS = frozenset({"see", "cf", "todo", "tbd", "fixme", "nb", "note", "ref"})
EMPTY_CELLS = frozenset({"", "-", "–", "—", "n/a", "na", "?", "..."})
# Columns of asides, not of facts: "| Setting | Value | Notes |".
ASIDE_COLUMNS = frozenset({"notes", "note", "comments", "comment", "remarks", "details", "see",
                           "see also", "link", "links", "source", "sources", "more"})  # fmt: skip
QUESTION_STARTS = frozenset(
    {"what", "which", "how", "why", "when", "who", "where", "name", "is", "are", "does", "do"}
    | {"can", "should", "define", "list", "give"}
)
MIN_QUESTION_WORDS = 3  # "Max SQS message retention::14 days" and longer lines are questions
KNOWN_NAMESPACES = frozenset({"std", "boost", "aws", "alexa", "kernel", "rails", "activerecord"})

SEPARATOR = re.compile(r"(?<!:):{2,3}(?!:)")
IDENTIFIER = re.compile(r"[(\[\"']*([A-Za-z_]\w*)")
RIGHT_IDENTIFIER = re.compile(r"[A-Za-z_~]\w*")
CODE_TAIL = re.compile(r"[(<{\[]|\.\w")
IPV6ISH = re.compile(r"[\[(]?[0-9A-Fa-f:.]*::[0-9A-Fa-f:.]*(?:[\])](?::\d+)?)?(?:/\d+)?[.,;]?")

HIGHLIGHT = re.compile(r"(?<!=)==(?![=\s])(.{1,500}?)(?<![=\s])==(?!=)")
EQUALS_LEAD = re.compile(r"^==[ \t]+")
EQUALS = re.compile(r"[ \t]+==[ \t]+")
# A clause about the past ("AWS raised it from 5 TB", "it was 256 KiB until 2025") holds no fact
# to learn: its figures make no cards.
PAST_CLAUSE = re.compile(r"[^;,()]+")
LOOSE_HIGHLIGHT = re.compile(r"(?<![=\s])==(?!=)|(?<!=)==(?![=\s]|$)")
ANKI_OPENING = re.compile(r"\{\{c\d{1,3}::")

DIGIT = re.compile(r"\d")

BOLD_TERM = re.compile(r"(\*\*|__)([^*_\n]{1,80}?)\1[ \t]*(:|[-–—](?=\s)|)[ \t]*(.*)")
COLON = re.compile(r"(?<!:)[ \t]?:(?=\s)")
# "Term - definition", "Term – definition", "Term — definition", and the dash glued to the
# term as people type it fast: "Visibility timeout- how long a message is hidden", but not
# a hyphen left hanging ("stage- and method-level throttles").
DASH = re.compile(r"[ \t][-–][ \t]|[ \t]?—[ \t]?|(?<=[A-Za-z0-9)\]])-[ \t](?!(?:and|or|to)\b)")
# "malformed response → 502 Bad Gateway": what leads to what.
ARROW = re.compile(r"[ \t](?:→|->|=>)[ \t]")
MAX_ARROW_ANSWER_WORDS = 5
MAX_ARROW_QUESTION_WORDS = 20
# "Amazon S3 is an object storage service that ...": a definition written as prose.
PROSE_DEFINITION = re.compile(
    r"(?P<term>[A-Z][^,;:.!?=()]{0,50}(?:\([^)]{1,40}\))?)\s+(?:is|are)\s+"
    r"(?P<what>(?:an?|the|one)\s.{8,})"
)
# "## Cost example", "## Worked example", "## Example: Python image": its figures illustrate.
WORKED_EXAMPLE = re.compile(
    r"^examples?\s*(?::|$)|\b(?:cost|worked|pricing|billing)\s+examples?\b", re.IGNORECASE
)
COPULA = re.compile(r"\b(?:is|are|was|were)\b", re.IGNORECASE)
JUDGEMENT = re.compile(
    r"(?:an?|the|one)\s+(?:\w+\s+)?(?:good|great|bad|poor|better|best|natural|perfect|common|"
    r"popular|solid|sensible|reasonable|safe)\s+(?:fit|choice|option|idea|match|way|default|pick)\b",
    re.IGNORECASE,
)
PRONOUNS = frozenset(
    [
        "it",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "one",
        "each",
    ]
)
MAX_LIST_ITEMS = 5  # a longer set is asked one item at a time (QUALITY.md, rule 3)
MAX_SHORT_ITEM_WORDS = 4
MAX_ENUMERATION = 12
MAX_ENUMERATION_ITEM_WORDS = 12
# How tables name what they hold (header cells, folded).
COMPARED_BY = frozenset({"", "feature", "features", "aspect", "property", "criteria", "vs"})
VALUE_HEADERS = frozenset(
    {"number", "value", "values", "amount", "answer", "figure", "limit", "choose", "use", "pick"}
)
ATTRIBUTE_HEADERS = frozenset(
    {"thing", "what", "attribute", "property", "item", "setting", "name", "quota", "fact"}
)

# Numbers with units. Units are what a cloud exam asks about: durations, sizes, counts of
# requests, money, percentages, multipliers. Bare numbers (years, versions, ids) never match.
# Counted things are plural only: "3 invocation types" is not a count of invocations.
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "not 900 seconds 'just in case'", "does not end after 12 months": a figure denied, no fact.
DENIED = re.compile(rf"\b(?:not|never|no longer)\s+(?:\w+\s+){{0,2}}?((?:{NUMBER})[^,;.]*)", re.I)
# Things a number counts: "10 tags", "25 puts", "2 access keys". The noun is what is asked about,
# so a card hides the number and shows the noun.
COUNTED = (
    r"buckets|objects|tags|parts|items|keys|files|users|groups|roles|policies|topics|queues"
    r"|subscriptions|tables|indexes|partitions|shards|writes|reads|puts|gets|deletes|calls"
    r"|connections|functions|versions|aliases|environments|tps|rps|transactions|layers|retries"
    r"|attempts|records|messages|msgs|events|requests|invocations|characters|statements"
)
SCALE = r"(?:[ \t]?(?:thousand|million|billion)|[KMB])"
RANGE = rf"(?:[ \t]?(?:-|–|to)[ \t]?\$?(?:{NUMBER}))?"
UNIT = (
    r"(?i:gb-seconds?|gb-s|milliseconds?|microseconds?|nanoseconds?|seconds?|minutes?|hours?"
    r"|days?|weeks?|months?|years?|secs?|mins?|hrs?|ms|µs|ns|s|h"
    r"|[kmgtp]i?b(?:ps)?|bytes?|vcpus|cores|requests|invocations|(?:concurrent[ \t])?"
    r"executions|layers|retries|attempts|records|messages|msgs|events|characters|chars|usd"
    rf"|{COUNTED})"
)
PER_UNIT = (
    r"(?i:gb-seconds?|gb-s|seconds?|sec|s|minutes?|min|hours?|hr|days?|weeks?|months?|years?"
    r"|ms|requests?|invocations?|functions?|regions?|accounts?|executions?)"
)
PER = (
    rf"(?:[ \t]?(?:/|per|every)[ \t]?(?:(?:{NUMBER})[ \t]?{SCALE}?[ \t]?)?"
    rf"{PER_UNIT}(?![A-Za-z0-9]))?"
)
VALUE = (
    rf"(?<![\w.,/:$\\-])(?:\$[ \t]?(?:{NUMBER}){RANGE}(?:{SCALE}(?![A-Za-z]))?{PER}"
    rf"|(?:{NUMBER}){RANGE}(?:[ \t]?%|x(?![A-Za-z0-9])|{SCALE}?[ \t-]?{UNIT}(?![A-Za-z0-9])){PER})"
)
NUMERIC_VALUE = re.compile(VALUE)
QUALIFIED_VALUE = re.compile(
    rf"(?:(?i:up to|max(?:imum)?|min(?:imum)?|about|approx(?:imately)?|around|at most|at least)"
    rf"[ \t]+|[~≈≤≥<>][ \t]?)?({VALUE})[ \t]*\.?"
)
CALCULATION = re.compile(r"\s[=×]\s|\d×\d")
LEADING_NUMBER = re.compile(NUMBER)
COUNTED_TAIL = re.compile(rf"(?i:{COUNTED})(?:[ \t]?(?:/|per)[ \t]?\w+)?$")
COUNT_PHRASE = re.compile(
    rf"(?<![\w.,/:$\\-])({NUMBER})[ \t]+(?:[\w/-]+[ \t]+){{1,2}}(?i:{COUNTED})\b"
)
# "sync 6 MB, async 1 MB": labelled values, each a fact of its own.
LABELLED = re.compile(rf"([A-Za-z][\w /-]{{0,24}}?)[ \t]+((?:{NUMBER})[^,;]*)")
STATUS_CODE = re.compile(r"[1-5]\d\d")
# Words before a figure that qualify it rather than label it.
QUALIFIER_LABEL = re.compile(
    r"(?i:(?:.*\s)?(?:at most|at least|up to|over|under|above|below|about|around|max(?:imum)?|"
    r"min(?:imum)?|from|to|is|are|of|by|default is|the default is|each further|since))"
)


@dataclass(frozen=True)
class CardDraft:
    kind: str
    front: str
    back: str
    heading_path: tuple[str, ...]
    line: int
    identity: str
    key: str
    sibling_group: str = ""
    answer: str = ""
    # The facts file contradicts the answer: {"fact", "value", "checked", "source"} (pipeline.py).
    fact_check: dict | None = None


@dataclass
class Extraction:
    cards: list[CardDraft]
    warnings: list[Issue]


@dataclass(frozen=True)
class _Deletion:
    start: int
    end: int
    answer: str
    hint: str
    group: str  # "c1" for Anki numbering, "h2" for the second ==highlight==, "n1" for a number


@functools.lru_cache(maxsize=1024)
def _plain_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """Headings as plain text: `#### **Cold** starts ####` is "Cold starts"."""
    return tuple(text for text in (plain(heading) for heading in path) if text)


@functools.lru_cache(maxsize=1024)
def _heading_key(path: tuple[str, ...]) -> str:
    return "/".join(normalise(heading) for heading in path)


def extract_cards(
    tree: NoteTree, *, title: str, options: dict | None = None, topic: str | None = None
) -> Extraction:
    """Card drafts of one note's tree, in note order, with warnings for what was not understood
    (the tree's own warnings are the tree's to report). `topic` is what the note is about
    (subjects.note_topic); by default it comes from the title."""
    if topic is None:
        topic = note_topic(title or "", "", "")
    try:
        return _Extractor(title or "", topic, options).run(tree)
    except (RecursionError, ValueError, TypeError, IndexError) as exc:
        # One odd note must not stop an import of a thousand; the warning names the problem.
        first_line = tree.lines[0].number if tree.lines else 1
        return Extraction([], [Issue(first_line, f"no cards made from this note: {exc}")])


def _switches(options: object) -> tuple[bool, bool, bool]:
    """(explicit, cloze, structure) from front matter; unknown keys and values are ignored."""
    if not isinstance(options, dict):
        return True, True, True

    def off(value: object) -> bool:
        if value is None or value is True:
            return False
        return value is False or str(value).strip().casefold() in {"false", "no", "off", "none"}

    cards = options.get("cards")
    if cards is not None and off(cards):
        return False, False, False
    structure = not (str(cards).strip().casefold() == "explicit" or off(options.get("structure")))
    return True, not off(options.get("cloze")), structure


def _context(path: tuple[str, ...], title: str) -> str:
    return PATH_SEPARATOR.join(path) if path else plain(title)


def _with_context(context: str, text: str) -> str:
    return f"{context}{PATH_SEPARATOR}{text}" if context else text


def _find_separator(text: str) -> tuple[int, int] | None:
    """Span of the `::`/`:::` that splits an explicit card, ignoring code, URLs and `Foo::Bar`."""
    if "::" not in text:
        return None
    masked = mask(text)
    if "{{" in masked:
        masked = ANKI_CLOZE.sub(lambda m: MASK_CHAR * len(m.group(0)), masked)
        masked = ANKI_OPENING.sub(lambda m: MASK_CHAR * len(m.group(0)), masked)
    for tried, match in enumerate(SEPARATOR.finditer(masked)):
        if tried == MAX_SEPARATOR_CANDIDATES:
            break
        if _is_separator(masked, match.start(), match.end()):
            return match.span()
    return None


def _is_separator(text: str, start: int, end: int) -> bool:
    token_start = max(text.rfind(" ", 0, start), text.rfind("\t", 0, start)) + 1
    token_end = min((i for i in (text.find(" ", end), text.find("\t", end)) if i >= 0), default=-1)
    token_end = len(text) if token_end < 0 else token_end
    token = text[token_start:token_end]
    if any(char.isdigit() for char in token) and IPV6ISH.fullmatch(token):
        return False
    if end - start == 3 or start == token_start or end == token_end:
        return True
    if token.count("::") >= 2:
        return False  # AWS::Lambda::Function, a::b::c
    left = IDENTIFIER.fullmatch(text, token_start, start)
    right = RIGHT_IDENTIFIER.match(text, end, token_end)
    if not left or not right:
        return True  # "Max timeout?::15 minutes", "Timeout::900 s"
    if CODE_TAIL.match(text, right.end(), token_end):
        return False  # std::move(x), std::vector<int>, Foo::Bar.new
    if left.group(1).casefold() in KNOWN_NAMESPACES:
        return False
    before, after = text[:token_start].strip(), text[token_end:].strip()
    if before and after:
        # Mid-sentence: C++ as in "use std::vector here", unless the line asks a question
        # ("Which fact is new::A new answer", "What does DLQ stand for::dead-letter queue").
        first = before.split()[0].casefold()
        if first in QUESTION_STARTS or len(before.split()) >= MIN_QUESTION_WORDS:
            return True
    # `Foo::Bar` names a constant; "Lambda pricing::per request" is a card.
    return not (after and left.group(1)[0].isupper() and right.group(0)[0].isupper())


def _asked(front: str, subject: str) -> str:
    """A written card's front as a question: "Max SQS message retention" asks with a "?", and a
    bare term names its subject ("Firecracker" -> "AWS Lambda: Firecracker?")."""
    stripped = front.rstrip()
    if not stripped or stripped.endswith(("?", ":", "…", "...")) or "{{c" in stripped:
        return front
    first = WORD.search(plain(stripped))
    if "\n" in stripped or (first and first.group(0).casefold() in QUESTION_STARTS):
        return f"{stripped}?"  # "What is the default timeout" asks already
    return ask(subject, stripped)  # "Ephemeral storage default" -> "AWS Lambda: ...?"


def _every_occurrence(masked: str, text: str, found: list[_Deletion]) -> list[_Deletion]:
    """A highlighted answer written again in the same sentence is hidden there too: "from
    ==128 MB== to ...; the default is 128 MB" must not show it."""
    found = sorted(found, key=lambda deletion: deletion.start)
    extra = []
    for deletion in found:
        answer = plain(deletion.answer)
        if len(answer) < 2:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(answer)}(?!\w)", masked):
            inside = any(d.start <= match.start() < d.end for d in [*found, *extra])
            if not inside:
                extra.append(_Deletion(match.start(), match.end(), answer, "", deletion.group))
    return sorted([*found, *extra], key=lambda deletion: deletion.start)


def _same_answer_together(deletions: list[_Deletion]) -> list[_Deletion]:
    """Deletions with the same answer hide together: "bills any object smaller than 128 KB as
    128 KB" must not show one while asking the other, nor "900 seconds (15 minutes)"."""
    first_group: dict[object, str] = {}
    together = []
    for deletion in deletions:
        # "at most 900 seconds (15 minutes)": one quantity, written twice, hides as one
        quantity = parse_quantity(plain(deletion.answer))
        key = (quantity.base, quantity.dimension) if quantity else normalise(deletion.answer)
        group = first_group.setdefault(key, deletion.group)
        together.append(replace(deletion, group=group))
    return together


def equals_as_words(text: str) -> str:
    """`==` with spaces around it means "equals", not a highlight: "dedup interval == 5 minutes"
    reads as "dedup interval: 5 minutes" (a term and what it is), a leading "== 30 seconds"
    continues the line above, and a chain "a == b == c" reads "a: b; c"."""
    if "==" not in text:
        return text
    text = EQUALS_LEAD.sub("", text)
    return EQUALS.sub("; ", EQUALS.sub(": ", text, count=1))


def _render(text: str, deletions: list[_Deletion], show: Callable[[_Deletion], str]) -> str:
    parts = []
    position = 0
    for deletion in deletions:
        parts.append(text[position : deletion.start])
        parts.append(show(deletion))
        position = deletion.end
    parts.append(text[position:])
    return "".join(parts)


def _blanked_identity(text: str, deletions: list[_Deletion]) -> str:
    """Normalised text with every deletion blanked: correcting an answer keeps the identity."""
    pieces = []
    position = 0
    for deletion in deletions:
        pieces.append(normalise(text[position : deletion.start]))
        position = deletion.end
    pieces.append(normalise(text[position:]))
    return " ".join(" _ ".join(pieces).split())


class _Extractor:
    def __init__(self, title: str, topic: str, options: object):
        self.title = title
        self.topic = topic
        self.explicit, self.cloze, self.structure = _switches(options)
        self.cards: list[CardDraft] = []
        self.warnings: list[Issue] = []
        self.keys: dict[str, CardDraft] = {}
        self.repeated: set[int] = set()  # bullets whose "term" its siblings use too
        # Prose sentences read so far, by text and heading, with what each made (_prose_sentence).
        self.read: dict[tuple[str, tuple[str, ...]], list[tuple[str, ...]]] = {}
        self.made: list[tuple[str, ...]] | None = None  # what the sentence being read makes

    def run(self, tree: NoteTree) -> Extraction:
        if not (self.explicit or self.cloze or self.structure):
            return Extraction([], [])
        for block in tree.blocks:
            path = _plain_path(block.heading_path)
            if isinstance(block, MultilineCard):
                self._question(block, path)
            elif isinstance(block, Paragraph):
                self._paragraph(block, path)
            elif isinstance(block, BulletList):
                self._bullet_list(block, path)
            elif isinstance(block, Table) and self.structure:
                self._table(block, path)
        # A term the author also wrote an explicit card for is asked by that card alone: two
        # cards with one front and two answers would contradict each other (QUALITY.md, rule 2).
        written = {normalise(card.front) for card in self.cards if card.kind == "basic"}
        self.cards = [
            card
            for card in self.cards
            if card.kind not in ("definition", "numeric", "table")
            or normalise(card.front) not in written
        ]
        self.cards.sort(key=lambda card: card.line)
        self.warnings.sort(key=lambda issue: issue.line)
        return Extraction(self.cards, self.warnings)

    def _add(
        self,
        kind: str,
        front: str,
        back: str,
        path: tuple[str, ...],
        line: int,
        identity: str,
        *,
        group: str = "",
        answer: str = "",
    ) -> None:
        if self.made is not None:
            self.made.append(("card", kind, front, back, identity, group, answer))
        # Mis-encoded text stays in the note as written; a card shows what was meant.
        front, back, answer = repair_mojibake(front), repair_mojibake(back), repair_mojibake(answer)
        heading_key = _heading_key(path)
        base, ordinal = identity, 1
        while True:
            key = hashlib.sha1(f"{kind}|{heading_key}|{identity}".encode()).hexdigest()[:20]
            same = self.keys.get(key)
            if same is None:
                break
            if same.front == front and same.back == back:
                self.warnings.append(Issue(line, f"same card as line {same.line}; made once"))
                return
            ordinal += 1  # two different cards with one identity: the later one is "#2"
            identity = f"{base} #{ordinal}"
        card = CardDraft(kind, front, back, path, line, identity, key, group, answer)
        self.keys[key] = card
        self.cards.append(card)

    def _warn(self, line: int, message: str) -> None:
        if self.made is not None:
            self.made.append(("warning", message))
        self.warnings.append(Issue(line, message))

    def _group(self, kind: str, path: tuple[str, ...], blanked: str) -> str:
        text = f"{kind}|{_heading_key(path)}|{blanked}"
        return hashlib.sha1(text.encode()).hexdigest()[:12]

    # Explicit cards

    def _question(self, block: MultilineCard, path: tuple[str, ...]) -> None:
        if not self.explicit or not block.question or not block.answer:
            return
        front = "\n".join(text for _, text in block.question)
        back = "\n".join(text for _, text in block.answer)
        self._explicit_pair(front, back, path, block.question[0][0], block.reversed)

    def _explicit_line(self, text: str, path: tuple[str, ...], line: int) -> bool:
        """Make the card of a `Front::Back` line; True when the line was meant as one."""
        if not self.explicit:
            return False
        span = _find_separator(text)
        if span is None:
            return False
        start, end = span
        front, back = text[:start].strip(), text[end:].strip()
        marker = text[start:end]
        if not plain(front):
            self.warnings.append(Issue(line, f"`{marker}{back[:40]}` has no front"))
        elif not plain(back):
            self.warnings.append(Issue(line, f"`{front[:40]}{marker}` has no back"))
        elif normalise(front) not in MEANINGLESS:  # Dataview fields such as `source:: URL`
            self._explicit_pair(front, back, path, line, marker == ":::")
        return True

    def _explicit_pair(
        self, front: str, back: str, path: tuple[str, ...], line: int, reverse: bool
    ) -> None:
        identity = normalise(front)
        subject = subject_of(self.topic, path)
        self._add("basic", _asked(front, subject), back, path, line, identity)
        # The reverse of a question ("What does DAX stand for?") or of a bare figure ("SQS: 30
        # seconds?") asks nothing: only the forward card is made.
        first = WORD.search(plain(front))
        question = front.rstrip().endswith("?") or (
            first is not None and first.group(0).casefold() in QUESTION_STARTS
        )
        asks_back = not question and parse_quantity(plain(back)) is None
        if reverse and asks_back:
            # The subject must not hold the answer: "Lambda@Edge and CloudFront Functions: ...?"
            # asking "CloudFront Functions".
            gives_away = f" {normalise(front)} " in f" {normalise(subject)} "
            self._add(
                "reversed", _asked(back, "" if gives_away else subject), front, path, line, identity
            )
        elif reverse:
            what = "a question" if question else "a bare figure"
            self.warnings.append(
                Issue(line, f"`:::` makes no reverse card of {what}; `::` asks it one way")
            )

    # Cloze and numeric facts: one text, several deletions, one card per deletion group

    def _cloze_deletions(self, text: str, line: int) -> list[_Deletion]:
        if "==" not in text and "{{" not in text:
            return []
        masked = mask(text)
        found = []
        for ordinal, match in enumerate(HIGHLIGHT.finditer(masked), start=1):
            answer = text[match.start(1) : match.end(1)]
            found.append(_Deletion(match.start(), match.end(), answer, "", f"h{ordinal}"))
        for match in ANKI_CLOZE.finditer(masked):
            answer = text[match.start(2) : match.end(2)]
            hint = text[match.start(3) : match.end(3)] if match.group(3) else ""
            found.append(_Deletion(match.start(), match.end(), answer, hint, f"c{match.group(1)}"))
        found = _same_answer_together(_every_occurrence(masked, text, found))
        rest = _render(masked, found, lambda deletion: " ")
        if "==" in rest and LOOSE_HIGHLIGHT.search(rest):
            self._warn(line, "`==` highlight is not closed")
        if "{{" in rest and ANKI_OPENING.search(rest):
            self._warn(line, "`{{c1::` cloze is not closed with `}}`")
        kept, end = [], -1
        for deletion in found:  # overlapping deletions (a highlight inside {{c1::}}) count once
            if deletion.start >= end:
                kept.append(deletion)
                end = deletion.end
        return kept

    def _deletion_cards(
        self,
        kind: str,
        text: str,
        deletions: list[_Deletion],
        path: tuple[str, ...],
        line: int,
        trail: tuple[str, ...] = (),
        term: str = "",
    ) -> None:
        blanked = _blanked_identity(text, deletions)
        context_words = words(plain(_render(text, deletions, lambda deletion: " ")))
        if context_words < 1:
            return
        subject = self._subject(path, trail, term)
        answers = [normalise(deletion.answer) for deletion in deletions]
        if any(answer and f" {answer} " in f" {normalise(subject)} " for answer in answers):
            subject = section_topic(self.topic, path)  # the label was the answer itself
            if any(answer and f" {answer} " in f" {normalise(subject)} " for answer in answers):
                subject = ""
        if context_words + words(subject) < 2:
            return
        group_id = self._group(kind, path, blanked)
        groups: dict[str, list[_Deletion]] = {}
        for deletion in deletions:
            groups.setdefault(deletion.group, []).append(deletion)
        for label, chosen in groups.items():

            def front_part(deletion: _Deletion, label: str = label) -> str:
                if deletion.group != label:
                    return deletion.answer
                return f"[{deletion.hint}]" if deletion.hint else "[...]"

            def back_part(deletion: _Deletion, label: str = label) -> str:
                return f"=={deletion.answer}==" if deletion.group == label else deletion.answer

            self._add(
                kind,
                lead(subject, _render(text, deletions, front_part)),
                _render(text, deletions, back_part),
                path,
                line,
                f"{blanked} #{label}",
                group=group_id if len(groups) > 1 else "",
                answer=" … ".join(plain(deletion.answer) for deletion in chosen),
            )

    def _numeric_facts(
        self,
        text: str,
        path: tuple[str, ...],
        line: int,
        trail: tuple[str, ...] = (),
        *,
        leave: tuple[tuple[int, int], ...] = (),
        term: str = "",
    ) -> None:
        """A card per figure of a sentence; a counted noun stays shown ("at most [...] access keys
        per user"). Figures in `leave` (already highlighted) and in the past make no card."""
        if not DIGIT.search(text) or "?" in text:
            return  # no figure, or a question: its figures are not stated as facts
        masked = mask(text)
        if CALCULATION.search(masked) or any(WORKED_EXAMPLE.search(plain(h)) for h in path):
            return  # the numbers of a worked example are derived, not facts to remember
        skip = list(leave) + [
            clause.span()
            for clause in PAST_CLAUSE.finditer(masked)
            if HISTORY.search(clause.group(0))
        ]
        skip += [example.span() for example in EXAMPLE.finditer(masked)]  # "(e.g. after 30 days)"
        # "not 900 seconds 'just in case'", "does not end after 12 months": what is denied
        skip += [denied.span(1) for denied in DENIED.finditer(masked)]
        spans = []
        for match in NUMERIC_VALUE.finditer(masked):
            start, end = match.span()
            number = LEADING_NUMBER.match(masked, start)
            if COUNTED_TAIL.search(match.group(0)) and number:  # not "$0.20 per 1M requests"
                end = number.end()
            spans.append((start, end))
        for match in COUNT_PHRASE.finditer(masked):
            if not any(start <= match.start() < end for start, end in spans):
                spans.append(match.span(1))
        deletions = [
            _Deletion(start, end, text[start:end], "", f"n{ordinal}")
            for ordinal, (start, end) in enumerate(sorted(spans), start=1)
            if not any(first <= start < last for first, last in skip)
        ]
        deletions = _same_answer_together(deletions)
        if deletions:
            self._deletion_cards("numeric", text, deletions, path, line, trail, term)

    def _sentence_cards(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...] = ()
    ) -> str:
        """Cloze cards of one bullet or sentence; returns "cloze", "long" or "plain"."""
        if len(text) > MAX_UNIT_CHARS:
            if "==" in text or "{{c" in text:
                self._warn(line, "highlight is in text too long for a card")
            return "long"
        if self.cloze:
            deletions = self._cloze_deletions(text, line)
            if deletions:
                self._deletion_cards("cloze", text, deletions, path, line, trail)
                return "cloze"
        return "plain"

    # Paragraphs

    def _paragraph(self, block: Paragraph, path: tuple[str, ...]) -> None:
        run: list[tuple[int, str]] = []
        for line, text in block.lines:
            text = equals_as_words(text)
            if (
                content_words(text) == 0
                or self._explicit_line(text, path, line)
                or self._bold_definition(text, path, line)
                or self._term_line(text, path, line, run)
            ):
                self._prose(run, path)
                run = []
            else:
                run.append((line, text))
        self._prose(run, path)

    def _term_line(
        self, text: str, path: tuple[str, ...], line: int, run: list[tuple[int, str]]
    ) -> bool:
        """A line of its own that reads `Term: definition` ("Destinations: SNS topic, SQS queue,
        Lambda function"), not a sentence that merely holds a colon."""
        if not self.structure or (run and _continues(run[-1][1], text)):
            return False
        term = _term_of(text)
        if not term or not COLON.match(mask(text), len(term)) or words(plain(term)) > 3:
            return False
        if not term[:1].isupper() or HIGHLIGHT.search(text) or "{{c" in text:
            return False
        return bool(self._plain_definition(text, path, line, ()))

    def _bold_definition(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...] = ()
    ) -> str:
        """`**Term**: definition`; returns the term when a card was made, else ""."""
        if not self.structure or not text.startswith(("**", "__")):
            return ""
        if self.cloze and ("==" in text or "{{c" in text):
            return ""
        match = BOLD_TERM.fullmatch(text)
        if not match:
            return ""
        term, separator, definition = match.group(2).strip(), match.group(3), match.group(4)
        if term.endswith(":"):
            term, separator = term[:-1].strip(), ":"
        if not separator:
            return ""
        return self._definition(term, definition.strip(), path, line, trail)

    def _prose(self, run: list[tuple[int, str]], path: tuple[str, ...]) -> None:
        """Sentences of consecutive prose lines; hard-wrapped lines are joined first."""
        units: list[tuple[list[int], list[int], list[str]]] = []  # offsets, lines, texts
        for line, text in run:
            if units and _continues(units[-1][2][-1], text):
                offsets, lines, texts = units[-1]
                offsets.append(offsets[-1] + len(texts[-1]) + 1)
                lines.append(line)
                texts.append(text)
            else:
                units.append(([0], [line], [text]))
        for offsets, lines, texts in units:
            for offset, sentence in sentences(" ".join(texts)):
                line = lines[bisect.bisect_right(offsets, offset) - 1]
                self._prose_sentence(sentence, path, line)

    def _prose_sentence(self, sentence: str, path: tuple[str, ...], line: int) -> None:
        """Cards of one prose sentence. A sentence written again under one heading is read once
        (6,000 equal lines took 0.7 s): what it made is made again on its own line, so each
        repeat is reported as reading it again would report it."""
        made = self.read.get((sentence, path))
        if made is None:
            self.made = self.read[(sentence, path)] = []
            try:
                if self._sentence_cards(sentence, path, line) == "plain" and self.structure:
                    self._prose_definition(sentence, path, line)
                    self._numeric_facts(sentence, path, line)
            finally:
                self.made = None
            return
        for what, *rest in made:
            if what == "warning":
                self.warnings.append(Issue(line, rest[0]))
            else:
                kind, front, back, identity, group, answer = rest
                self._add(kind, front, back, path, line, identity, group=group, answer=answer)

    def _prose_definition(self, sentence: str, path: tuple[str, ...], line: int) -> None:
        """ "Amazon S3 is an object storage service that ..." asks "What is Amazon S3?"."""
        match = PROSE_DEFINITION.fullmatch(plain(sentence).rstrip(".!"))
        if not match or JUDGEMENT.match(match.group("what")):
            return  # "Lambda is a good fit for ..." judges; it does not say what Lambda is
        term = match.group("term").strip()
        first = term.split()[0].casefold()
        if first in PRONOUNS or not 1 <= words(term) <= MAX_TERM_WORDS:
            return
        if first in ("a", "an", "the"):
            term = term[0].lower() + term[1:]
        subject = subject_of(self.topic, path)
        front = ask(subject, f"What is {term}")
        self._add("definition", front, match.group("what"), path, line, normalise(term))

    # Bullet lists

    def _bullet_list(self, block: BulletList, path: tuple[str, ...]) -> None:
        self.repeated = _repeated_terms(block.items)
        roles: dict[int, str] = {}
        pending: list[tuple[Bullet, tuple[str, ...]]] = [(item, ()) for item in block.items[::-1]]
        while pending:  # iterative: deeply nested bullets must not exhaust the stack
            item, trail = pending.pop()
            role, label = self._bullet(item, path, trail)
            roles[id(item)] = role
            below = (*trail, label)[-MAX_TRAIL:] if label else trail
            pending.extend((child, below) for child in item.children[::-1])
        if not self.structure:
            return
        self._list_card(block.items, roles, path, intro=block.intro)
        parents = list(block.items)
        while parents:
            item = parents.pop()
            if item.children:
                if roles[id(item)] in ("intro", "plain") and words(plain(item.text)) <= 6:
                    self._list_card(item.children, roles, path, intro=(item.line, item.text))
                parents.extend(item.children)

    def _bullet(
        self, item: Bullet, path: tuple[str, ...], trail: tuple[str, ...]
    ) -> tuple[str, str]:
        """Cards of one bullet: its role (explicit, cloze, definition, intro, plain...) and the
        label its child bullets are read under ("Asynchronous" for "- Asynchronous: ...")."""
        text = equals_as_words(item.text)
        if not text or content_words(text) == 0:
            return "empty", ""
        if item.task:
            return "remark", ""  # a to-do is not a fact
        if self._explicit_line(text, path, item.line):
            return "explicit", ""
        term = self._highlighted_definition(item, text, path, trail)
        if term:
            return "cloze", term
        role = self._sentence_cards(text, path, item.line, trail)
        if role == "long" or not self.structure:
            return role, _label(text)
        if role == "plain" and text.rstrip("*_ ").endswith(":") and item.children:
            return "intro", _label(text)
        first_word = WORD.search(plain(text))
        if role == "plain" and first_word and first_word.group(0).casefold() in REMARK_WORDS:
            return "remark", ""
        term = ""
        if id(item) not in self.repeated:
            term = self._plain_definition(text, path, item.line, trail)
        # The figures of a line are facts too, unless the author highlighted them.
        highlighted = (
            tuple(
                (deletion.start, deletion.end)
                for deletion in self._cloze_deletions(text, item.line)
            )
            if role == "cloze"
            else ()
        )
        if not term:
            if id(item) in self.repeated and _verdict(text):
                return role, _label(text)  # "Bad: going past the 250 MB limit" illustrates
            self._numeric_facts(text, path, item.line, trail, leave=highlighted)
            return role, _label(text)
        definition = text[len(_term_of(text)) :].lstrip(":-–— ")
        bare = PARENTHESES.sub(" ", NUMERIC_VALUE.sub(" ", mask(definition)))
        if words(plain(bare)) > MAX_LEFT_BESIDE_HIGHLIGHT:
            # "Visibility timeout - ... default 30s, up to 12h": each figure asked of the term;
            # "Message size - 1 MiB max now" is asked by the definition card alone.
            offset = len(text) - len(definition)
            leave = tuple((start - offset, end - offset) for start, end in highlighted)
            self._numeric_facts(definition, path, item.line, trail, leave=leave, term=term)
        return ("cloze" if role == "cloze" else "definition"), term

    def _list_card(
        self,
        items: list[Bullet],
        roles: dict[int, str],
        path: tuple[str, ...],
        *,
        intro: tuple[int, str] | None,
    ) -> None:
        """A short set of parallel terms is one card ("name all 3"); a longer enumeration is a
        cloze per item with the others shown (QUALITY.md, rule 3)."""
        if len(items) < 2 or any(roles.get(id(item)) != "plain" for item in items):
            return
        heading = path[-1] if path else ""
        if normalise(heading) in UNLISTABLE:
            return
        if intro:
            line, intro_text = intro
            parts = sentences(intro_text)  # "A cold start is slow. Mitigations:"
            label = plain(parts[-1][1] if parts else intro_text).rstrip(":").strip()
        else:
            line, label = items[0].line, plain(heading) or self.topic
        if not label or normalise(label) in UNLISTABLE:
            return
        texts = [equals_as_words(item.text) for item in items]
        count = len(items)
        in_order = " in order" if items[0].ordered else ""
        subject = subject_of(self.topic, path)
        if 3 <= count <= MAX_LIST_ITEMS and all(
            words(plain(PARENTHESES.sub(" ", text))) <= MAX_SHORT_ITEM_WORDS for text in texts
        ):  # "Event source mapping (poll-based)" is a short item
            back = "\n".join(
                f"{number}. {text}" if item.ordered else f"- {text}"
                for number, (item, text) in enumerate(zip(items, texts, strict=True), start=1)
            )
            asked = f"name all {count}{in_order}"
            front = (
                f"{subject} — {asked}?"
                if mentions(subject, label)  # "## Benefits" under "Lambda": "Lambda Benefits — ..."
                else ask(subject, f"{label} — {asked}")
            )
            self._add("list", front, back, path, line, normalise(label))
        elif 2 <= count <= MAX_ENUMERATION and all(
            words(plain(text)) <= MAX_ENUMERATION_ITEM_WORDS for text in texts
        ):
            self._enumeration(f"{label}{in_order}", texts, path, line)

    def _enumeration(self, label: str, texts: list[str], path: tuple[str, ...], line: int) -> None:
        """One cloze per item of a list, the others shown: "SNS subscribers: SQS; [...]; email"."""
        subject = subject_of(self.topic, path)
        named = mentions(subject, PARENTHESES.sub(" ", label))  # "(event source mappings)"
        text = "" if named or not says_something(label) else f"{label}: "
        deletions = []
        for number, item in enumerate(texts, start=1):
            if number > 1:
                text += "; "
            deletions.append(_Deletion(len(text), len(text) + len(item), item, "", f"e{number}"))
            text += item
        self._deletion_cards("cloze", text, deletions, path, line)

    # Definitions

    def _subject(self, path: tuple[str, ...], trail: tuple[str, ...], term: str = "") -> str:
        """What a card of this place names; with `term`, the term a definition line defines
        ("S3 storage classes One Zone-IA")."""
        subject = subject_of(self.topic, path, trail)
        if not term or mentions(term, subject):
            return term or subject
        return f"{subject} {term}".strip()

    def _highlighted_definition(
        self, item: Bullet, text: str, path: tuple[str, ...], trail: tuple[str, ...]
    ) -> str:
        """ "Max message size- ==1 MiB== (it was 256 KiB until 2025)": the author chose what to
        ask of the term, so its clozes ask it of the term ("SQS Max message size: [...]") and no
        definition card repeats them. Returns the term when it made cards."""
        if not (self.cloze and self.structure) or id(item) in self.repeated:
            return ""
        term = plain(_term_of(text)).strip()
        if not term or not 1 <= words(term) <= MAX_TERM_WORDS or len(term) > MAX_TERM_CHARS:
            return ""
        if len(text) > MAX_UNIT_CHARS or not any(char.isalpha() for char in term):
            return ""
        definition = text[len(_term_of(text)) :].lstrip(":-–— \t")
        offset = len(text) - len(definition)
        deletions = self._cloze_deletions(text, item.line)
        if not deletions or any(deletion.start < offset for deletion in deletions):
            return ""
        moved = [
            _Deletion(d.start - offset, d.end - offset, d.answer, d.hint, d.group)
            for d in deletions
        ]
        if not words(plain(_render(definition, moved, lambda deletion: " "))):
            # "Timeout: ==15 minutes==": the whole definition is highlighted, so the card asks
            # the term ("AWS Lambda Limits: Timeout?" -> 15 minutes), there being no sentence
            # to blank.
            answer = _render(definition, moved, lambda deletion: deletion.answer)
            return self._definition(term, answer, path, item.line, trail)
        self._deletion_cards("cloze", definition, moved, path, item.line, trail, term)
        leave = tuple((deletion.start, deletion.end) for deletion in moved)
        self._numeric_facts(definition, path, item.line, trail, leave=leave, term=term)
        rest = PARENTHESES.sub(" ", _render(definition, moved, lambda deletion: " "))
        if words(plain(rest)) > MAX_LEFT_BESIDE_HIGHLIGHT and not QUALIFIED_VALUE.fullmatch(
            plain(definition)
        ):
            # "unknown or changing access patterns; ... ==no retrieval fees==": the highlight
            # asks one part, the definition card still asks what the term is.
            self._definition(term, definition, path, item.line, trail)
        return term

    def _plain_definition(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...]
    ) -> str:
        """`Term: definition` or `Term - definition`; returns the term when a card was made."""
        if text.startswith(("**", "__")):
            term = self._bold_definition(text, path, line, trail)
            if term:
                return term
        arrow = ARROW.search(mask(text))
        before = mask(text)[: arrow.start()] if arrow else ""
        if arrow and not COLON.search(before) and not DASH.search(before):
            return self._leads_to(text[: arrow.start()], text[arrow.end() :], path, line, trail)
        masked = mask(text)
        found = _term_ends(masked)
        if not found:
            return ""
        split = min(found, key=lambda match: match.start())
        term, definition = text[: split.start()], text[split.end() :].strip()
        return self._definition(term, definition, path, line, trail)

    def _leads_to(
        self, cause: str, effect: str, path: tuple[str, ...], line: int, trail: tuple[str, ...]
    ) -> str:
        """ "malformed response → 502 Bad Gateway", "one event, many consumers → SNS": the left
        side asks, the right side answers (when it is short)."""
        cause, effect = cause.strip(), effect.strip()
        if ARROW.search(effect) or not 1 <= words(plain(effect)) <= MAX_ARROW_ANSWER_WORDS:
            return ""
        if not 1 <= words(plain(cause)) <= MAX_ARROW_QUESTION_WORDS:
            return ""
        subject = subject_of(self.topic, path, trail)
        identity = normalise(" ".join((*trail, cause)))
        self._add("definition", ask(subject, cause), effect, path, line, identity)
        return plain(cause)

    def _labelled_values(
        self, term: str, definition: str, path: tuple[str, ...], line: int, trail: tuple[str, ...]
    ) -> bool:
        """ "payload: sync 6 MB, async 1 MB" is two facts: the sync and the async payload."""
        parts = [part.strip() for part in re.split(r"[,;]", plain(definition)) if part.strip()]
        found = [LABELLED.fullmatch(part) for part in parts]
        if len(parts) < 2 or not all(found):
            return False
        if any(QUALIFIER_LABEL.fullmatch(match.group(1).strip()) for match in found):
            return False  # "at most 900 seconds; the default is 3 seconds" is a sentence
        if not all(NUMERIC_VALUE.search(match.group(2)) for match in found):
            return False
        subject = subject_of(self.topic, path, trail)
        for match in found:
            label, value = match.group(1).strip(), match.group(2).strip()
            identity = normalise(" ".join((*trail, term, label)))
            front = ask(subject, f"{term} ({label})")
            self._add("numeric", front, value, path, line, identity, answer=value)
        return True

    def _definition(
        self, term: str, definition: str, path: tuple[str, ...], line: int, trail: tuple[str, ...]
    ) -> str:
        term_text = plain(term).strip()
        if term_text.startswith("("):
            return ""  # "(Deep Archive: standard within 12 hours)": an aside
        term_words = words(term_text)
        if not 1 <= term_words <= MAX_TERM_WORDS or len(term_text) > MAX_TERM_CHARS:
            return ""
        if "://" in term or term_text.casefold().startswith("www.") or content_words(term) == 0:
            return ""  # a URL, or a link to a note as in a map of content: navigation, not a term
        if normalise(term) in MEANINGLESS:
            return ""
        if "==" in term and COPULA.search(term_text):
            return ""  # "Layer versions are ==immutable==: ...": a statement its cloze asks
        if not any(char.isalpha() for char in term_text) and not STATUS_CODE.fullmatch(term_text):
            return ""  # "429 – throttled" names a status; other bare numbers name nothing
        if DIGIT.search(term_text) and NUMERIC_VALUE.search(term_text):
            return ""  # "Memory 128 MB - 10 GB" is a range, not a term
        definition_text = plain(definition)
        if definition_text.startswith("("):
            return ""  # "(in increments of 1 ms)": a remark in brackets, not what the term is
        if CALCULATION.search(mask(definition)):
            return ""  # "Requests: 5,000,000 − 1,000,000 free = 4 million × $0.20": a worked sum
        value = QUALIFIED_VALUE.fullmatch(definition_text)
        if words(definition_text) < 2 and not value:
            return ""
        subject = subject_of(self.topic, path, trail)
        if words(subject) + term_words < 2:
            return ""
        if self._labelled_values(term_text, definition, path, line, trail):
            return term_text
        outside = PARENTHESES.sub(" ", mask(definition))
        if (
            not value
            and len(NUMERIC_VALUE.findall(outside)) >= 2
            and words(plain(NUMERIC_VALUE.sub(" ", outside))) <= MAX_WORDS_BESIDE_FIGURES
        ):
            return term_text  # "4 days unless you change it. range is 60 s to 14 days": a card
            # per figure asks it, not one card asking three figures at once
        front = ask(subject, f"**{term_text}**")
        identity = normalise(" ".join((*trail, term_text)))
        if value:
            self._add("numeric", front, definition, path, line, identity, answer=value.group(1))
        else:
            self._add("definition", front, definition, path, line, identity)
        return term_text

    # Tables

    def _table(self, block: Table, path: tuple[str, ...]) -> None:
        header = block.header
        if len(header) > MAX_TABLE_COLUMNS or len(block.rows) > MAX_TABLE_ROWS:
            self.warnings.append(
                Issue(
                    block.line,
                    f"table is larger than {MAX_TABLE_COLUMNS} columns × {MAX_TABLE_ROWS} rows;"
                    " no cards made from it",
                )
            )
            return
        names = [plain(cell) for cell in header]
        shape = _table_shape(names)
        heading_words = f" {normalise(plain(path[-1]))} " if path else ""
        if (
            shape == "attributes"
            and len(names) >= 3
            and all(f" {normalise(name)} " in heading_words for name in names[1:])
        ):
            shape = "comparison"  # "## Durable functions or Step Functions?" over their columns
        subject = subject_of(self.topic, path)
        heading = plain(path[-1]).strip() if path else ""
        if heading.endswith("?"):  # "## Lambda or ECS/Fargate for containers?" asks it
            subject = heading.rstrip("?").strip()
        chosen = next(
            (index for index, name in enumerate(names) if name.casefold() in VALUE_HEADERS), None
        )
        labels = [normalise(cells[0]) for _, cells in block.rows if cells]
        for line, cells in block.rows:
            cells = [equals_as_words(cell) for cell in cells]
            row = plain(cells[0]) if cells else ""
            if not row:
                continue
            shared = labels.count(normalise(row)) > 1  # `Any | bin/ | PATH`, `Any | lib/ | ...`
            if shape == "facts":  # `SQS | max message size | 1 MiB`: a thing, what, its value
                attribute = " ".join(plain(cell) for cell in cells[1:-1]).strip()
                value = cells[-1] if len(cells) == len(names) else ""
                if attribute and plain(value).casefold() not in EMPTY_CELLS:
                    identity = f"{normalise(row)} | {normalise(attribute)}"
                    self._add("table", ask(row, attribute), value, path, line, identity)
                continue
            for position, (column, cell) in enumerate(zip(names[1:], cells[1:], strict=False)):
                if not column or plain(cell).casefold() in EMPTY_CELLS:
                    continue
                if column.casefold().strip(" :") in ASIDE_COLUMNS:
                    continue
                if shared:  # told apart by the row's other cells: "Any (PATH)"
                    others = [plain(c) for i, c in enumerate(cells[1:]) if i != position]
                    row = f"{plain(cells[0])} ({', '.join(o for o in others if o)})"
                if content_words(cell) == 0:
                    continue  # a cell holding only a link says where, not what
                if f" {normalise(cell)} " in f" {normalise(row)} {normalise(column)} ":
                    continue  # "AWS managed | maintained by | AWS" answers itself
                if shape == "comparison":  # `| | SQS | SNS |`: the header names the compared
                    others = [name for name in names[1:] if name and name != column]
                    front = ask(f"{column} (vs {', '.join(others)})" if others else column, row)
                elif column.casefold() in VALUE_HEADERS:
                    front = ask(subject, row)
                elif chosen is not None and chosen < len(cells) and plain(cells[chosen]):
                    # `Need | Choose | Why`: why that choice for that need
                    choice = plain(cells[chosen])
                    front = ask(subject, f"{row} → {choice}: {column.casefold()}")
                else:
                    # Under "### Minimum storage duration", a column of that name: the note's
                    # subject, not the heading, goes before the row.
                    where = self.topic if mentions(subject, column) and self.topic else subject
                    front = ask(row if mentions(row, where) else f"{where} {row}", column)
                identity = f"{normalise(row)} | {normalise(column)}"
                self._add("table", front, cell, path, line, identity)


# Leading words of a line that judge an example rather than state a fact ("Bad: ...").
_VERDICT_WORDS = "good bad pro pros con cons do don't dont avoid yes no ok okay fine wrong right"
VERDICTS = frozenset(_VERDICT_WORDS.split())


def _verdict(text: str) -> bool:
    return normalise(plain(_term_of(text))) in VERDICTS


def _repeated_terms(items: list[Bullet]) -> set[int]:
    """Bullets (by id) whose leading term a sibling bullet uses too: "Good: ..." three times is
    a set of examples, not one definition per line."""
    repeated: set[int] = set()
    pending = [items]
    while pending:
        siblings = pending.pop()
        terms: dict[str, list[int]] = {}
        for item in siblings:
            term = _term_of(item.text)
            if term:
                terms.setdefault(normalise(term), []).append(id(item))
            if item.children:
                pending.append(item.children)
        for ids in terms.values():
            if len(ids) > 1:
                repeated.update(ids)
    return repeated


def _term_ends(masked: str) -> list[re.Match]:
    """Where the term of `Term: definition` or `Term - definition` may end: the first colon and
    the first dash, each looked for only in text that holds one (a line of 1 MB took 0.15 s)."""
    colon = COLON.search(masked) if ":" in masked else None
    dash = DASH.search(masked) if "-" in masked or "–" in masked or "—" in masked else None
    return [match for match in (colon, dash) if match]


@functools.lru_cache(maxsize=1 << 14)
def _term_of(text: str) -> str:
    masked = mask(text)
    found = _term_ends(masked)
    return text[: min(match.start() for match in found)] if found else ""


def _table_shape(header: list[str]) -> str:
    """How a table is laid out: "comparison" when its header names the things compared
    (`| | SQS | SNS |`), "facts" for `thing | what | number` rows, else "attributes" (a thing per
    row, an attribute per column)."""
    folded = [cell.casefold() for cell in header]
    if len(folded) >= 3 and folded[0] in COMPARED_BY:
        return "comparison"
    if (
        len(folded) >= 3
        and folded[-1] in VALUE_HEADERS
        and any(cell in ATTRIBUTE_HEADERS for cell in folded[1:-1])
    ):
        return "facts"
    return "attributes"


def _label(text: str) -> str:
    """What a parent bullet names: its term ("Asynchronous: ...") or its whole text if short."""
    masked = mask(text)
    found = _term_ends(masked)
    if found:
        term = plain(text[: min(match.start() for match in found)])
        if 1 <= words(term) <= MAX_TERM_WORDS:
            return term
    whole = plain(text).rstrip(":").strip()
    return whole if words(whole) <= MAX_TERM_WORDS else ""


def _continues(previous: str, following: str) -> bool:
    """A hard-wrapped sentence goes on; a line per fact (Obsidian style) does not."""
    if previous.rstrip().endswith((".", "!", "?", ":", ";")):
        return False
    first = following[:1]
    return first.islower() or first.isdigit() or first == "(" or len(previous) >= 60
