"""Compare the prices and limits a note states with content/_facts/ and warn where they differ.

Pure: never imports Django. It walks the note's tree: every bullet, table cell, heading, prose
sentence and `?` card is a place a figure may be claimed, punctuated or not. What counts as a
claim about which fact comes from the claims files beside the facts (`*.claims.toml`), so this
module knows nothing about any one service. It reports only confident matches: a figure it
cannot tie to one fact with certainty (history, code, other services, arithmetic, ranges) is
left alone, never flagged.
"""

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from cards.calculators.facts import (
    DEFAULT_PATH,
    Fact,
    Facts,
    FactsError,
    format_fact,
    format_usd,
    load_facts,
)
from cards.calculators.units import COMPUTE, COUNT, DATA, MONEY, TIME, Quantity, parse_quantity
from cards.content.source import Issue
from cards.content.text import HISTORY, hide_literal_numbers, plain, sentences
from cards.content.tree import BulletList, Heading, MultilineCard, NoteTree, Paragraph, Table

# --- What a claim looks like: the claims files ------------------------------------------------

_MAX = (
    r"\bmax(?:imum)?\b|\bup to\b|\bat most\b|\blimit(?:ed)?\b|\bquota\b|\bno more than\b"
    r"|\bunder\b|\bbelow\b|\bwithin\b|\blongest\b|\blargest\b|\bcap(?:ped)?\b"
)
DIMENSIONS = {"time": TIME, "data": DATA, "count": COUNT, "compute": COMPUTE}
NOTHING = r"(?!)"  # a pattern that never matches


@dataclass(frozen=True)
class _Claim:
    """A way notes state one limit: a subject near a number of the right kind."""

    key: str  # the fact it is checked against
    says: str  # how the warning words the claim: 'says {says} "600 seconds"'
    dimension: str
    subject: re.Pattern  # must occur in the figure's context
    qualifier: re.Pattern  # must occur just before the figure (or in its label)
    own_qualifier: bool  # the qualifier is the claim's own, not the maximum words
    label_ok: bool = False  # "Subject: 50 MB" states the limit even without a qualifier
    exclude: re.Pattern | None = None  # anywhere in the clause, means another figure
    range_min: str = ""  # fact key: "from <this> to N" states the maximum as N


@dataclass(frozen=True)
class _ComputePrice:
    """A price per GB-second, whose fact depends on the family and tier the words name."""

    fact: str  # "price.{family}.gb_second.tier{tier}"
    tiers: int
    says: str  # "{family_name} duration costs"
    families: dict[str, re.Pattern]
    family_names: dict[str, str]
    first_tier: re.Pattern
    later_tiers: re.Pattern
    not_duration: re.Pattern
    storage: re.Pattern
    storage_fact: str
    storage_says: str


@dataclass(frozen=True)
class _RequestPrice:
    fact: str
    says: str
    subject: re.Pattern
    exclude: re.Pattern


@dataclass(frozen=True)
class Claims:
    limits: tuple[_Claim, ...]
    compute_prices: tuple[_ComputePrice, ...]
    request_prices: tuple[_RequestPrice, ...]
    other_subjects: str  # figures about these are not the facts' subject
    skip_headings: re.Pattern  # sections about another product
    subject: re.Pattern  # the facts' own subject ("Lambda"), named where others are the topic


def load_claims(path: Path | None = None) -> Claims:
    """Every `*.claims.toml` in the facts folder; cached until one of them changes."""
    folder = Path(path) if path is not None else DEFAULT_PATH
    files = sorted(folder.glob("*.claims.toml")) if folder.is_dir() else []
    signature = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load_claims(signature)


def _pattern(text: str) -> re.Pattern:
    return re.compile(text or NOTHING, re.IGNORECASE)


@lru_cache(maxsize=8)
def _load_claims(signature: tuple) -> Claims:
    limits, compute, requests, other, skip, own = [], [], [], [], [], []
    for name, _mtime, _size in signature:
        try:
            data = tomllib.loads(Path(name).read_text(encoding="utf-8"))
            scope = data.get("scope", {})
            other += [scope["other_subjects"]] if "other_subjects" in scope else []
            skip += [scope["skip_headings"]] if "skip_headings" in scope else []
            own += [scope["subject"]] if "subject" in scope else []
            for item in data.get("limit", []):
                limits.append(
                    _Claim(
                        key=item["fact"],
                        says=item["says"],
                        dimension=DIMENSIONS[item["dimension"]],
                        subject=_pattern(item["subject"]),
                        qualifier=_pattern(item.get("qualifier", _MAX)),
                        own_qualifier="qualifier" in item,
                        label_ok=bool(item.get("label_ok", False)),
                        exclude=_pattern(item["exclude"]) if item.get("exclude") else None,
                        range_min=item.get("range_min", ""),
                    )
                )
            for item in data.get("compute_price", []):
                compute.append(
                    _ComputePrice(
                        fact=item["fact"],
                        tiers=int(item["tiers"]),
                        says=item["says"],
                        families={k: _pattern(v) for k, v in item["families"].items()},
                        family_names=dict(item["family_names"]),
                        first_tier=_pattern(item["first_tier"]),
                        later_tiers=_pattern(item["later_tiers"]),
                        not_duration=_pattern(item["not_duration"]),
                        storage=_pattern(item.get("storage", "")),
                        storage_fact=item.get("storage_fact", ""),
                        storage_says=item.get("storage_says", ""),
                    )
                )
            for item in data.get("request_price", []):
                requests.append(
                    _RequestPrice(
                        fact=item["fact"],
                        says=item["says"],
                        subject=_pattern(item["subject"]),
                        exclude=_pattern(item["exclude"]),
                    )
                )
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, re.error) as exc:
            raise FactsError(f"{name}: not a valid claims file ({exc!r})") from exc
    return Claims(
        limits=tuple(limits),
        compute_prices=tuple(compute),
        request_prices=tuple(requests),
        other_subjects="|".join(other) or NOTHING,
        skip_headings=_pattern("|".join(skip)),
        subject=_pattern("|".join(own)),
    )


_PER_GB_SECOND = re.compile(
    r"^\s*(?:per|/|a|an|for each|each)\s*(?:1\s*)?GB-?s(?:ec(?:ond)?s?)?\b", re.IGNORECASE
)
_PER_GB_SECOND_ANYWHERE = re.compile(r"\bper GB-?s(?:ec(?:ond)?s?)?\b", re.IGNORECASE)
_PER_MILLION = re.compile(
    r"^\s*(?:per|/|for every|for each|every|a|for)\s*(?:1\s*M\b|1\s*million\b|one million\b"
    r"|million\b|1,000,000\b)(?:\s*(?:requests?|invocations?|calls?)\b)?",
    re.IGNORECASE,
)

# "$1 for 60,000 GB-seconds" and "60,000 GB-seconds for $1": how a price per GB-second is put.
_DOLLARS_FOR = re.compile(
    r"^\s*(?:for|buys|gets(?: you)?|=)\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*"
    r"(?P<mult>million|thousand|k|M)?\s*GB-?s(?:ec(?:ond)?s?)?\b",
    re.IGNORECASE,
)
_FOR_DOLLARS = re.compile(
    r"^\s*(?:for|cost|costs|=)\s*\$\s*(?P<usd>\d+(?:\.\d+)?)(?![\d.])", re.IGNORECASE
)


_ARITHMETIC_BEFORE = re.compile(r"(?:[=×*+−/]|\bx)\s*$")
_ARITHMETIC_AFTER = re.compile(r"^\s*(?:[=×*+−/]|x\b)")
_RANGE_JOIN = re.compile(r"^\s*(?:to|–|-|through)\s*$", re.IGNORECASE)

_UNIT = (
    r"GB-seconds|GB-second|GB-secs|GB-sec|GB-s|MB-seconds|MB-second|TB|GB|MB|KB|GiB|MiB|KiB"
    r"|bytes|byte|milliseconds|millisecond|msecs?|ms|seconds|second|secs|sec|s|minutes|minute"
    r"|mins|min|hours|hour|hrs|hr|h|days|day"
)
_QUANTITY = re.compile(
    r"(?<![\w.,/:#$\-])(?P<money>\$\s?)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:[ \-]?(?P<mult>million|billion|thousand|bn|M|k|K)\b)?"
    rf"(?:[ \-]?(?P<unit>{_UNIT})\b)?(?![\w\-]|[.,]\d)",
)
_NOUN = re.compile(r"^\s*([A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z][A-Za-z\-]*)?)")
_UNIT_CASE = re.compile(rf"^(?:{_UNIT})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SEPARATOR = re.compile(r"(?<!:):{2,3}(?!:)")  # a `Front::Back` card's separator
_LIMIT_AFTER = re.compile(
    r"^\s*(?:[A-Za-z\-]+\s+){0,2}(?:limit|maximum|max|quota|cap)\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_NOT_DIGITS = re.compile(r"\D")
_LABEL = re.compile(r"^([^:]{1,80}):\s")
_LABEL_ONLY = re.compile(r"^[^:]{1,80}:\s*$")
_TAIL_END = re.compile(r"[;(|]|,(?!\d)")
_PER_BEFORE = re.compile(r"\bper\s*$", re.IGNORECASE)
_MILL = re.compile(r"\b(\d+(?:\.\d+)?)\s*mill?\b\.?", re.IGNORECASE)
_CENTS = re.compile(r"(?<![\w.$])(?P<number>\d+(?:\.\d+)?)\s*(?:cents?\b|¢)", re.IGNORECASE)
# Bounds on the work a note can ask for (hardening): a "sentence" longer than this is no prose a
# reader checks (each figure in it is read against the whole of it), and past this many
# characters of sentences with figures the rest of the note is left unchecked, with a warning.
MAX_SENTENCE_CHARS = 2_000
MAX_CHECKED_CHARS = 40_000
# Sentences whose verdicts the checker keeps: an import of a thousand notes that each paste one
# table checks its rows once.
REMEMBERED_SENTENCES = 1 << 14


# --- Reading the note: the places a figure may be claimed -------------------------------------


@dataclass(frozen=True)
class _Sentence:
    text: str
    offsets: tuple[tuple[int, int], ...]  # (offset in text, line number), ascending
    heading: str
    headers: str = ""  # table rows: the first column's header and the value column's header

    def line_at(self, position: int) -> int:
        line = self.offsets[0][1]
        for offset, number in self.offsets:
            if offset > position:
                break
            line = number
        return line


def _words(text: str) -> str:
    """What a reader sees of a piece of a note: markup gone, numbers in code and links hidden
    (code is no claim), `Front::Back` read as "Front: Back"."""
    text = plain(hide_literal_numbers(text))
    if "::" in text:
        text = _SEPARATOR.sub(": ", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    if "mil" in text:
        text = _MILL.sub(r"\1 million", text)  # "1 mill requests", "1 mil"
    if "cent" in text or "¢" in text:
        text = _CENTS.sub(_as_dollars, text)  # "0.20 cent" and "20 cents" mean $0.20
    return text


def _as_dollars(match: re.Match) -> str:
    value = Decimal(match["number"])
    return f"${value if value < 1 else value / 100}"


def _units(tree: NoteTree, claims: Claims, topic: str = "") -> Iterator[_Sentence]:
    """Every sentence-like piece of the note, with the heading it sits under. In a note or
    section about another service ("API Gateway", "# SQS"), only what names the facts' own
    subject is read: "integration timeout max 29 s" there is API Gateway's, not Lambda's."""
    other = re.compile(claims.other_subjects, re.IGNORECASE)
    for block in tree.blocks:
        path = tuple(plain(heading) for heading in block.heading_path)
        if any(claims.skip_headings.search(heading) for heading in path):
            continue
        elsewhere = any(
            other.search(place) and not claims.subject.search(place) for place in (topic, *path)
        )
        for sentence in _block_units(block, path):
            if not elsewhere or claims.subject.search(sentence.text):
                yield sentence


def _block_units(block, path: tuple[str, ...]) -> Iterator[_Sentence]:
    """The sentence-like pieces of one block of a note."""
    heading = path[-1] if path else ""
    # A piece with no digit states no figure: it is only read as the context of others.
    if isinstance(block, Heading):
        if _DIGIT.search(block.text):
            yield _Sentence(_words(block.text), ((0, block.line),), heading="")
    elif isinstance(block, Paragraph):
        if any(_DIGIT.search(text) for _, text in block.lines):
            yield from _prose(block.lines, heading)
    elif isinstance(block, BulletList):
        # A nested bullet is read under its parent: "- Timeout" then "  - at most 900 s".
        pending = [(item, heading) for item in block.items]
        while pending:
            item, context = pending.pop(0)
            if _DIGIT.search(item.text):
                yield from _prose([(item.line, item.text)], context)
            if item.children:
                parent = _words(item.text).rstrip(":")
                below = f"{context} {parent}".strip() if len(parent.split()) <= 6 else context
                pending[:0] = [(child, below) for child in item.children]
    elif isinstance(block, Table):
        header = [_words(cell) for cell in block.header]
        for line, cells in block.rows:
            if any(_DIGIT.search(cell) for cell in cells):
                yield from _table_row([_words(cell) for cell in cells], header, line)
    elif isinstance(block, MultilineCard):
        question = " ".join(_words(text) for _, text in block.question)
        answer = " ".join(_words(text) for _, text in block.answer)
        if question and answer:
            line = block.answer[0][0]
            yield _Sentence(f"{question.rstrip(':?')}: {answer}", ((0, line),), heading)


def _prose(lines: list[tuple[int, str]], heading: str) -> Iterator[_Sentence]:
    """The sentences of consecutive lines (a paragraph, or one bullet), each with its lines."""
    text = ""
    offsets: list[tuple[int, int]] = []
    for number, part in lines:
        words = _words(part)
        if not words:
            continue
        if text:
            text += " "
        offsets.append((len(text), number))
        text += words
    if not text:
        return
    starts = [offset for offset, _ in offsets]
    for start, sentence in sentences(text):
        end = start + len(sentence)
        # Only the lines from the one holding the start to the end (bisected: a paragraph of
        # 10,000 one-sentence lines took 30 s read whole for each sentence).
        near = offsets[bisect_right(starts, start) - 1 : bisect_left(starts, end)]
        local = [(max(offset - start, 0), number) for offset, number in near]
        # The last line starting at or before the sentence start holds its beginning.
        before = [item for item in local if item[0] == 0]
        after = [item for item in local if item[0] > 0]
        yield _Sentence(sentence, tuple(([before[-1]] if before else []) + after), heading)


def _table_row(cells: list[str], header: list[str], number: int) -> Iterator[_Sentence]:
    """Each value cell as a sentence "Memory: 10,240 MB", with headers "Quota Default"."""
    if not cells:
        return
    first = header[0] if header else ""
    for position, cell in enumerate(cells[1:], start=1):
        column = header[position] if position < len(header) else ""
        # `Lambda | timeout | 10 min`: the cells before the value, less their figures, say
        # what it is of.
        label = " ".join(other for other in cells[:position] if not _DIGIT.search(other))
        text = f"{label or cells[0]}: {cell}"
        yield _Sentence(text, ((0, number),), heading="", headers=f"{first} {column}".strip())


# --- Finding figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    written: str
    quantity: Quantity
    noun: str


def _figures(text: str) -> list[_Figure]:
    found = []
    for match in _QUANTITY.finditer(text):
        number = match["number"]
        unit = match["unit"] or ""
        mult = match["mult"] or ""
        if not unit and not mult and not match["money"] and _YEAR.match(number):
            continue
        if unit and not _UNIT_CASE.match(unit):
            continue
        spoken = f"{'$' if match['money'] else ''}{number} {mult} {unit}".strip()
        quantity = parse_quantity(_SPACES.sub(" ", spoken))
        if quantity is None:
            continue
        noun = ""
        if quantity.dimension == COUNT:
            found_noun = _NOUN.match(text[match.end() :])
            noun = found_noun.group(1) if found_noun else ""
        found.append(_Figure(match.start(), match.end(), match.group(0), quantity, noun))
    return found


def _fact_quantity(fact: Fact) -> Quantity | None:
    if fact.unit.startswith("USD"):
        return Quantity(fact.value, "USD", MONEY)
    return parse_quantity(f"{fact.value} {fact.unit}")


def _same(stated: Quantity, fact: Fact) -> bool | None:
    """True or False when comparable, None when the kinds differ (then it is no claim)."""
    expected = _fact_quantity(fact)
    if expected is None or expected.dimension != stated.dimension:
        return None
    if stated.dimension == COUNT:
        return stated.value == expected.value
    a, b = stated.base, expected.base
    return abs(a - b) <= Decimal("0.001") * max(abs(a), abs(b))


def _price_matches(stated: Decimal, fact_value: Decimal, written: str) -> bool:
    """Right if it is the fact rounded to the digits written ("$0.0000167"), or within 1%."""
    digits = written.split(".")[1] if "." in written else ""
    decimals = len(_NOT_DIGITS.sub("", digits))
    half_unit = Decimal(5) * Decimal(10) ** -(decimals + 1)
    difference = abs(stated - fact_value)
    return difference <= half_unit or difference <= Decimal("0.01") * fact_value


# --- Checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactIssue(Issue):
    """A warning about a figure the facts file contradicts: which fact, and the figure as
    written, so the cards showing that figure can say so."""

    fact: Fact | None = None
    written: str = ""


@dataclass(frozen=True)
class _Found:
    position: int
    message: str
    fact: Fact
    written: str


def check_facts(
    tree: NoteTree,
    *,
    facts: Facts | None = None,
    claims: Claims | None = None,
    topic: str = "",
) -> list[FactIssue]:
    """Warnings, by line, for figures a note states that differ from the facts files. `topic`
    is what the note is about (its title, cleaned), when no heading says it."""
    checker = _checker(facts if facts is not None else load_facts(), claims or load_claims())
    issues: list[FactIssue] = []
    said: set[tuple[int, str]] = set()
    checked = 0
    for sentence in _units(tree, checker.claims, topic):
        if len(sentence.text) > MAX_SENTENCE_CHARS or HISTORY.search(sentence.text):
            continue
        checked += len(sentence.text)
        if checked > MAX_CHECKED_CHARS:
            line = sentence.line_at(0)
            message = "too many figures to check: from here on none is checked"
            issues.append(FactIssue(line, message))
            break
        for found in checker.verdicts(sentence):
            line = sentence.line_at(found.position)
            if (line, found.message) not in said:
                said.add((line, found.message))
                issues.append(FactIssue(line, found.message, found.fact, found.written))
    return issues


def _message(says: str, written: str, fact: Fact, *, aside: str = "") -> str:
    """'says the maximum timeout is "600 seconds"; the facts file says 900 seconds (...)'."""
    stated = f'says {says} "{written}"' if says else f'says "{written}"'
    return (
        f"{stated}{aside}; the facts file says {format_fact(fact)} "
        f"({fact.key}, source {fact.source}, checked {fact.checked.isoformat()})"
    )


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind(";", 0, position) + 1
    end = text.find(";", position)
    return start, len(text) if end < 0 else end


def _count(number: str, mult: str | None) -> Decimal:
    factor = {"million": 10**6, "m": 10**6, "thousand": 1000, "k": 1000}.get(
        (mult or "").lower(), 1
    )
    return Decimal(number.replace(",", "")) * factor


_last_checker: "_Checker | None" = None


def _checker(facts: Facts, claims: Claims) -> "_Checker":
    """The checker of these facts and claims: the last one is kept, with its verdicts."""
    global _last_checker
    checker = _last_checker
    if checker is None or checker.facts is not facts or checker.claims is not claims:
        checker = _last_checker = _Checker(facts, claims)
    return checker


class _Checker:
    def __init__(self, facts: Facts, claims: Claims):
        self.facts = facts
        self.claims = claims
        self.other = re.compile(claims.other_subjects, re.IGNORECASE)
        self.remembered: dict[tuple[str, str, str], list[_Found]] = {}

    def about_other(self, text: str) -> bool:
        return self.other.search(text) is not None

    def verdicts(self, sentence: _Sentence) -> list[_Found]:
        """What the sentence states wrongly. A sentence in the same place (heading, table
        headers) reads the same wherever it is written again: it is checked once."""
        place = (sentence.text, sentence.heading, sentence.headers)
        found = self.remembered.get(place)
        if found is None:
            if len(self.remembered) >= REMEMBERED_SENTENCES:
                self.remembered.clear()
            found = self.remembered[place] = list(self.sentence(sentence))
        return found

    def sentence(self, sentence: _Sentence) -> Iterator[tuple[int, str]]:
        text = sentence.text
        figures = _figures(text)
        if not figures:
            return
        label_match = _LABEL.match(text)
        label_text = label_match.group(1) if label_match else ""
        topic = " ".join(part for part in (sentence.heading, label_text, sentence.headers) if part)
        # What no part of the sentence mentions, no figure of it is about.
        whole = f"{topic} {text}"
        dimensions = {figure.quantity.dimension for figure in figures}
        claims = [
            claim
            for claim in self.claims.limits
            if claim.dimension in dimensions
            and claim.key in self.facts
            and claim.subject.search(whole)
        ]
        others = self.about_other(f"{text} {sentence.headers}")
        for index, figure in enumerate(figures):
            clause_start, clause_end = _clause_bounds(text, figure.start)
            clause = text[clause_start:clause_end]
            previous = (
                figures[index - 1] if index and figures[index - 1].end > clause_start else None
            )
            lead_start = max(clause_start, previous.end if previous else clause_start)
            lead = text[lead_start : figure.start][-80:]
            raw_tail = _TAIL_END.split(text[figure.end : clause_end], maxsplit=1)[0][:40]
            following = figures[index + 1] if index + 1 < len(figures) else None
            tail = raw_tail
            if following is not None and following.start - figure.end < len(raw_tail):
                tail = raw_tail[: following.start - figure.end]

            if others and self.about_other(f"{clause} {sentence.headers}"):
                continue
            if figure.quantity.dimension == MONEY:
                yield from self.price(figure, lead, raw_tail, clause, topic, sentence)
                continue
            if figure.quantity.dimension == COMPUTE:
                found = self.gb_seconds_for_dollars(
                    figure, raw_tail, f"{clause} {sentence.headers}", topic
                )
                if found is not None:
                    yield found
                    continue
            if _PER_BEFORE.search(lead):
                continue  # "per 1 million requests": a denominator, not a claim
            if _ARITHMETIC_BEFORE.search(lead) or _ARITHMETIC_AFTER.match(text[figure.end :]):
                continue
            if following is not None and following.quantity.dimension == figure.quantity.dimension:
                between = text[figure.end : following.start]
                if _RANGE_JOIN.match(between):
                    continue  # the start of a range, "from 128 MB to ..."; its end is a maximum
            label = bool(_LABEL_ONLY.match(text[clause_start : figure.start]))
            context = " ".join((topic, lead, figure.noun, tail))
            range_start = None
            if previous is not None and _RANGE_JOIN.match(text[previous.end : figure.start]):
                range_start = previous
            yield from self.limit(
                claims, figure, lead, tail, clause, context, topic, label, range_start, text
            )

    def limit(self, claims, figure, lead, tail, clause, context, topic, label, range_start, text):
        facts = self.facts
        near = " ".join(lead.split()[-6:])
        verdicts: list[tuple[_Claim, Fact, bool]] = []
        for claim in claims:
            if claim.dimension != figure.quantity.dimension:
                continue
            if claim.exclude and claim.exclude.search(clause):
                continue
            fact = facts.get(claim.key)
            if range_start is not None:
                if not claim.range_min or claim.range_min not in facts:
                    continue
                if not _same(range_start.quantity, facts.get(claim.range_min)):
                    continue
                before = text[: range_start.start]
                if not claim.subject.search(f"{context} {before}"):
                    continue
            else:
                if not claim.subject.search(context):
                    continue
                qualified = claim.qualifier.search(near) or _LIMIT_AFTER.match(tail)
                if not qualified and claim.own_qualifier:
                    # "1,000 per Region by default": the words that make it this fact may follow.
                    qualified = claim.qualifier.search(tail)
                if not qualified and label:
                    qualified = claim.label_ok or claim.qualifier.search(topic)
                if not qualified:
                    continue
            same = _same(figure.quantity, fact)
            if same is None:
                continue
            verdicts.append((claim, fact, same))
        # Any reading under which the figure is right wins: only one wrong every way is flagged.
        if verdicts and not any(same for _, _, same in verdicts):
            claim, fact, _ = verdicts[0]
            written = figure.written.strip()
            yield _Found(figure.start, _message(claim.says, written, fact), fact, written)

    def compute_prices(self, rule: _ComputePrice, context: str) -> list[tuple[Fact, str]]:
        """The price facts a price per GB-second may be about, given the words around it, each
        with the name of its family."""
        named = [family for family, words in rule.families.items() if words.search(context)]
        families = named if len(named) == 1 else list(rule.families)
        named_later_tier = rule.later_tiers.search(context) and not rule.first_tier.search(context)
        tiers = range(1, rule.tiers + 1) if named_later_tier else (1,)
        keys = [(rule.fact.format(family=f, tier=t), f) for f in families for t in tiers]
        return [
            (self.facts.get(key), rule.family_names.get(family, family))
            for key, family in keys
            if key in self.facts
        ]

    def price(self, figure, lead, raw_tail, clause, topic, sentence):
        stated = figure.quantity.value
        written = figure.written.strip()
        context = f"{topic} {clause}"
        near = " ".join(lead.split()[-4:])
        per_gb_second = _PER_GB_SECOND.match(raw_tail)
        unit_in_header = _PER_GB_SECOND_ANYWHERE.search(f"{lead} {sentence.headers}")
        if per_gb_second or (not raw_tail.strip() and unit_in_header):
            claimed = f"{written}{per_gb_second.group(0)}" if per_gb_second else written
            for rule in self.claims.compute_prices:
                if rule.storage.search(context) and rule.storage_fact in self.facts:
                    candidates = [(self.facts.get(rule.storage_fact), "")]
                    says = rule.storage_says
                elif rule.not_duration.search(clause) or rule.not_duration.search(topic):
                    continue
                else:
                    # The family named nearest the price decides; else the whole clause does.
                    named_near = any(words.search(near) for words in rule.families.values())
                    candidates = self.compute_prices(rule, near if named_near else context)
                    says = rule.says
                if candidates and not any(
                    _price_matches(stated, fact.value, written) for fact, _ in candidates
                ):
                    fact, family_name = candidates[0]
                    says = says.format(family_name=family_name)
                    yield _Found(figure.start, _message(says, claimed.strip(), fact), fact, written)
            return
        per_million = _PER_MILLION.match(raw_tail)
        if per_million:
            for rule in self.claims.request_prices:
                if rule.fact not in self.facts or rule.exclude.search(clause):
                    continue
                if not rule.subject.search(f"{topic} {lead} {per_million.group(0)} {clause}"):
                    continue
                fact = self.facts.get(rule.fact)
                if not _price_matches(stated, fact.value, written):
                    claimed = f"{written}{per_million.group(0)}".strip()
                    yield _Found(figure.start, _message(rule.says, claimed, fact), fact, written)
            return
        dollars_for = _DOLLARS_FOR.match(raw_tail)
        if dollars_for:
            amount = _count(dollars_for["n"], dollars_for["mult"])
            claimed = f"{written}{dollars_for.group(0)}".strip()
            found = self.derived_price(stated, amount, claimed, context, figure.start)
            if found is not None:
                yield found

    def gb_seconds_for_dollars(self, figure, raw_tail, clause, topic):
        match = _FOR_DOLLARS.match(raw_tail)
        if match is None:
            return None
        claimed = f"{figure.written}{match.group(0)}".strip()
        return self.derived_price(
            Decimal(match["usd"]), figure.quantity.value, claimed, f"{topic} {clause}", figure.start
        )

    def derived_price(self, dollars, gb_seconds, claimed, context, position):
        """ "$1 for 60,000 GB-seconds" is a price per GB-second; check it like one."""
        for rule in self.claims.compute_prices:
            if gb_seconds <= 0 or rule.not_duration.search(context):
                continue
            price = dollars / gb_seconds
            facts = [fact for fact, _ in self.compute_prices(rule, context)]
            # The price as implied carries no written digits to round to: allow 1%.
            if not facts or any(abs(price - fact.value) <= fact.value / 100 for fact in facts):
                continue
            implied = format_usd(price.quantize(Decimal("0.0000000001")))
            aside = f" (that is {implied} per GB-second)"
            message = _message("", claimed, facts[0], aside=aside)
            return _Found(position, message, facts[0], claimed.split(" for ")[0].strip())
        return None
