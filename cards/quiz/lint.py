"""The item-writing rules of QUALITY.md ("Exam questions") that a machine can check. Every
generated and authored question passes them before an exam uses it; generation tries other
distractors before it gives a question up, and rejected authored questions are listed with the
rule they break.

Pure: never imports Django.
"""

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from cards.calculators.units import Quantity, equivalent, parse_quantity
from cards.content.text import normalise, plain
from cards.quiz.drafts import QuestionDraft

RULES = {
    "stem_fragment": "the stem is not a complete question or statement",
    "heading_path": "the stem is a heading path",
    "leftover_markup": "leftover markup (==, [[, ::) in the stem or an option",
    "unmarked_negative": "a negative stem that does not mark it (NOT, EXCEPT)",
    "too_few_options": "too few options for its kind",
    "options_not_distinct": "two options say the same (or the same value in another unit)",
    "options_mixed": "options of different kinds or unit families",
    "number_format": "numbers written in different formats",
    "numbers_not_ascending": "numeric options not in ascending order",
    "all_or_none": "an \u201call of the above\u201d or \u201cnone of the above\u201d option",
    "distractor_true": "a distractor is true: a member of the set asked, or a value a note states",
    "key_flagged": "the key comes from a line the fact check flagged",
    "no_explanation": "no explanation or no link to its source",
    "bad_multiple": "a select-several question needs 2+ keys among 5+ options, and says how many",
    "key_in_stem": "the stem gives the key away: its figure or words are in the stem, and not "
    "every other option's",
}
PATH_SEPARATOR = " \u203a "
LEFTOVER = re.compile(r"==|\[\[|\]\]|(?<!:)::(?!:)")
NEGATIVE = re.compile(r"\b(not|except|never)\b", re.IGNORECASE)
MARKED_NEGATIVE = re.compile(r"\b(NOT|EXCEPT|NEVER)\b")
ALL_OR_NONE = re.compile(r"^\s*(all|none|both|neither) of (the )?(above|these)\b", re.IGNORECASE)
SELECT_COUNT = re.compile(r"\b(TWO|THREE|FOUR)\b")
STEM_END = re.compile(r"(\?|:|\[\.\.\.\]|\.\.\.|…|\.)\)?\s*\**\s*$")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
LEADING = re.compile(r"^\$?(\d[\d,]*(?:\.\d+)?)\b")
OPTIONS = {"single": 4, "true_false": 2}
MIN_MULTIPLE_OPTIONS = 5


@dataclass(frozen=True)
class Known:
    """What the deck says is true of the question's subject: values the notes state for the
    same fact (its merged cards), and the members of the set a select-several question asks."""

    true_values: frozenset[str] = frozenset()  # normalised option texts known true
    flagged: bool = False  # the key's line is contradicted by the facts file
    quantities: tuple[Quantity, ...] = field(default=())


# A generator builds a few hundred drafts per exam from the same deck values and lints each:
# the same option texts and amounts are read and compared again and again, so their readings
# are remembered (they depend on the text alone; Quantity and Decimal are immutable).


@functools.lru_cache(maxsize=1 << 14)
def same_amount(one: Quantity, other: Quantity) -> bool:
    """units.equivalent, remembered."""
    return equivalent(one, other)


@functools.lru_cache(maxsize=1 << 14)
def option_quantity(text: str) -> Quantity | None:
    text = plain(text).strip()
    if not text or not text[0].isdigit() and not text.startswith("$"):
        return None
    return parse_quantity(text)


@functools.lru_cache(maxsize=1 << 14)
def leading_number(text: str):
    """The number an option starts with ("$0.0000166667 per GB-second", "512 MB"), in base
    units when it is a quantity; None for words."""
    text = plain(text).strip()
    quantity = option_quantity(text)
    if quantity is not None:
        return quantity.base
    match = LEADING.match(text)
    return Decimal(match.group(1).replace(",", "")) if match else None


def _kind_of(text: str) -> str:
    """What kind of thing an option is, coarsely: a number (by dimension), or words."""
    quantity = option_quantity(text)
    return f"number:{quantity.dimension}" if quantity is not None else "words"


def question_problems(question: QuestionDraft, known: Known = Known()) -> list[str]:
    """The rules a question breaks, by name (RULES)."""
    problems = []
    stem = plain(question.stem)
    if PATH_SEPARATOR in question.stem:
        problems.append("heading_path")
    last = stem.strip().splitlines()[-1] if stem.strip() else ""
    if not stem.strip() or len(stem.split()) < 3 or not STEM_END.search(last):
        problems.append("stem_fragment")
    texts = [question.stem, *(option.text for option in question.options)]
    if any(LEFTOVER.search(text) for text in texts):
        problems.append("leftover_markup")
    asked = _asked(question.stem)  # "not" in a statement is content; in the question, a trap
    negative = NEGATIVE.search(plain(asked)) and not MARKED_NEGATIVE.search(asked)
    if negative and question.kind in ("single", "multiple"):
        problems.append("unmarked_negative")
    if not question.explanation.strip() or (question.card_id and not question.source_url):
        problems.append("no_explanation")
    if known.flagged:
        problems.append("key_flagged")
    if question.kind == "numeric" and _gives_away(question.stem, [question.answer], []):
        problems.append("key_in_stem")
    if question.kind == "numeric" or question.kind == "true_false":
        return problems
    options = [option.text for option in question.options]
    keys = [option for option in question.options if option.correct]
    if question.kind == "single" and (len(options) < OPTIONS["single"] or len(keys) != 1):
        problems.append("too_few_options")
    if question.kind == "multiple":
        wanted = SELECT_COUNT.search(question.stem)
        if len(keys) < 2 or len(options) < MIN_MULTIPLE_OPTIONS or not wanted:
            problems.append("bad_multiple")
    if any(ALL_OR_NONE.match(plain(text)) for text in options):
        problems.append("all_or_none")
    problems += _option_problems(options)
    distractors = [option.text for option in question.options if not option.correct]
    if _gives_away(question.stem, [option.text for option in keys], distractors):
        problems.append("key_in_stem")
    if any(normalise(text) in known.true_values for text in distractors) or any(
        (value := option_quantity(text)) is not None
        and any(same_amount(value, true) for true in known.quantities)
        for text in distractors
    ):
        problems.append("distractor_true")
    return problems


MIN_SHOWN_CHARS = 4  # a shorter option ("S3", "IAM") is too common a word to count as a clue


def _shown(option: str, text: str) -> bool:
    """Is the option in the (plain, casefolded) stem: its leading figure, even inside a name
    ("Canary10Percent5Minutes"), or all its words?"""
    words = plain(option).strip()
    number = LEADING.match(words.lstrip("$"))
    if number:
        return _figure_in(number.group(1), text)
    words = words.casefold()
    return len(words) >= MIN_SHOWN_CHARS and _words_in(words, text)


# The two searches below are the regexes of their docstrings written out with str.find: every
# option of every draft is looked for, and compiling a regex per option cost more than the
# search. \d is str.isdecimal, and \w is str.isalnum or "_", for every code point.


def _figure_in(figure: str, text: str) -> bool:
    r"""(?<![\d.,])figure(?![\d,]|\.\d): the figure on its own, not part of a longer number
    ("10" is not in "100", "1.05" or "10,000")."""
    start = text.find(figure)
    while start != -1:
        end = start + len(figure)
        before, after = text[start - 1 : start], text[end : end + 2]
        if not (
            (before != "" and (before.isdecimal() or before in ".,"))
            or after[:1].isdecimal()
            or after[:1] == ","
            or (after[:1] == "." and after[1:].isdecimal())
        ):
            return True
        start = text.find(figure, start + 1)
    return False


def _words_in(words: str, text: str) -> bool:
    r"""(?<!\w)words(?!\w): the words, not part of longer words."""
    start = text.find(words)
    while start != -1:
        end = start + len(words)
        if not (start and _word_char(text[start - 1])) and not (
            end < len(text) and _word_char(text[end])
        ):
            return True
        start = text.find(words, start + 1)
    return False


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _gives_away(stem: str, keys: list[str], distractors: list[str]) -> bool:
    """Does the stem show a key, and not every distractor ("Linear10PercentEvery1Minute: [...]
    more every minute" asks for 10%)? A test-wise student picks it without knowing the fact.
    A distractor shown too does not hide the clue unless every one is: a generator that kept
    drawing would otherwise pick "1%" for "Linear10PercentEvery1Minute"."""
    text = plain(stem).casefold()
    return any(_shown(key, text) for key in keys) and not (
        distractors and all(_shown(other, text) for other in distractors)
    )


def _asked(stem: str) -> str:
    r"""The question a stem asks: its last paragraph, or its last sentence ending in "?".

    That sentence is the last match of re.findall(r"[^.?!]*\?", paragraph), found from the
    end: findall takes time quadratic in a paragraph without "?" (0.6 s for 10,000 chars)."""
    last = stem.strip().split("\n\n")[-1]
    end = last.rfind("?")
    if end == -1:
        return last
    start = max(last.rfind(mark, 0, end) for mark in ".?!") + 1
    return last[start : end + 1]


def _option_problems(options: list[str]) -> list[str]:
    problems = []
    keys = [normalise(text) for text in options]
    quantities = [option_quantity(text) for text in options]
    numbers = [q for q in quantities if q is not None]
    same_value = any(
        same_amount(one, other)
        for position, one in enumerate(numbers)
        for other in numbers[position + 1 :]
    )
    if len(set(keys)) != len(keys) or same_value:
        problems.append("options_not_distinct")
    kinds = {_kind_of(text) for text in options}
    if len(kinds) > 1:
        problems.append("options_mixed")
    leading = [leading_number(text) for text in options]
    if all(value is not None for value in leading):
        written = [NUMBER.search(plain(text)).group(0) for text in options]
        big = [w for w in written if float(w.replace(",", "")) >= 1000]
        if big and len({"," in w for w in big}) > 1:
            problems.append("number_format")
        if leading != sorted(leading):
            problems.append("numbers_not_ascending")
    return problems


def exam_problems(questions: list[QuestionDraft], facts: list[str]) -> dict:
    """Rules of a whole exam: one fact asked once (`facts`: each question's fact key) and keys
    spread over the positions of 4-option questions."""
    seen: dict[str, int] = {}
    repeated = 0
    for fact in facts:
        if fact:
            repeated += seen.get(fact, 0) > 0
            seen[fact] = seen.get(fact, 0) + 1
    positions = [0, 0, 0, 0]
    longest = four = 0
    for question in questions:
        if question.kind == "single" and len(question.options) == 4:
            four += 1
            key = next(i for i, option in enumerate(question.options) if option.correct)
            positions[key] += 1
            lengths = [len(plain(option.text)) for option in question.options]
            if lengths[key] == max(lengths) and lengths.count(max(lengths)) == 1:
                longest += 1
    return {"repeated_facts": repeated, "key_positions": positions,
            "key_longest_share": round(longest / four, 3) if four else 0.0}  # fmt: skip
