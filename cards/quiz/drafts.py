"""Plain data shared by question generators (quiz.py, calculator scenarios) and the quiz views.

Pure: no Django import.
"""

import re
from dataclasses import dataclass, field, fields

# How long the texts of one question may be, wherever they come from (a note, a data file):
# every quiz page renders them again, so they are bounded where they enter.
MAX_STEM_CHARS = 10_000
MAX_OPTION_CHARS = 2_000
MAX_EXPLANATION_CHARS = 10_000
MAX_OPTIONS = 20
MAX_ANSWER_CHARS = 200
MAX_TOPIC_CHARS = 600
MAX_URL_CHARS = 2_000
KINDS = ("single", "multiple", "true_false", "numeric")
# A question links to its note on this site ("/decks/…"), or to the web: never javascript:.
SAFE_URL = re.compile(r"(?:/(?![/\\])|https?://)[^\s\x00-\x1f\x7f]*", re.IGNORECASE)


@dataclass(frozen=True)
class Option:
    text: str  # Markdown-lite, as shown next to the radio button or checkbox
    correct: bool


@dataclass(frozen=True)
class QuestionDraft:
    kind: str  # "single" | "multiple" | "true_false" | "numeric"
    stem: str  # the question, Markdown-lite; "select TWO" questions say so in the stem
    options: tuple[Option, ...] = ()  # empty for numeric
    answer: str = ""  # numeric: the expected value with its unit ("900 seconds")
    explanation: str = ""  # shown after answering: why, and the breakdown for calculations
    topic: str = ""  # what the score-by-topic table groups by: "Note title › Heading"
    card_id: int | None = None  # the card it came from, so a miss can make that card due
    source_url: str = ""  # link to the line in the note ("" for calculator scenarios)
    key: str = ""  # stable within a seed: identifies the question in an attempt
    domain: str = ""  # the exam domain it counts under ("" when the deck has no blueprint)
    fact: str = ""  # what it asks, so an exam asks each fact once ("card:12", "stem:...")


@dataclass(frozen=True)
class CardInfo:
    """What question generation needs to know about one active card."""

    id: int
    kind: str  # basic, reversed, cloze, definition, list, table, numeric
    front: str
    back: str
    answer: str = ""  # cloze deletion / numeric value
    heading_path: tuple[str, ...] = ()
    note_title: str = ""
    sibling_group: str = ""
    source_url: str = ""
    extra: dict = field(default_factory=dict)
    identity: str = ""  # a table cell's "row | column", normalised
    domain: str = ""  # its note's exam domain
    true_answers: tuple[str, ...] = ()  # what other notes' merged cards answer for this fact


def safe_url(url: str) -> str:
    """The URL when it is a path on this site or an http(s) address, else ""."""
    return url if isinstance(url, str) and SAFE_URL.fullmatch(url) else ""


def text_problem(text, limit: int) -> str | None:
    if not isinstance(text, str):
        return "is not text"
    if len(text) > limit:
        return f"is {len(text):,} characters long; the limit is {limit:,}"
    return None


def question_problems(data) -> list[str]:
    """What keeps a question (a QuestionDraft as a dict, as attempts store it) from being
    asked: wrong types, unknown fields, texts over their limits, a link that is not http(s)."""
    if not isinstance(data, dict):
        return ["is not an object"]
    problems = []
    known = {f.name for f in fields(QuestionDraft)}
    unknown = sorted(str(name)[:40] for name in set(data) - known)
    if unknown:
        problems.append(f"has unknown fields {', '.join(unknown)}")
    if data.get("kind") not in KINDS:
        problems.append(f"“kind” is not one of {', '.join(KINDS)}")
    for name, limit in (
        ("stem", MAX_STEM_CHARS),
        ("answer", MAX_ANSWER_CHARS),
        ("explanation", MAX_EXPLANATION_CHARS),
        ("topic", MAX_TOPIC_CHARS),
        ("source_url", MAX_URL_CHARS),
        ("key", 100),
    ):
        problem = text_problem(data.get(name, ""), limit)
        if problem:
            problems.append(f"“{name}” {problem}")
    if data.get("source_url") and not safe_url(data["source_url"]):
        problems.append("“source_url” is not a link to this site or an http(s) address")
    card_id = data.get("card_id")
    if card_id is not None and (isinstance(card_id, bool) or not isinstance(card_id, int)):
        problems.append("“card_id” is not a whole number")
    options = data.get("options", [])
    if not isinstance(options, list) or len(options) > MAX_OPTIONS:
        problems.append(f"“options” is not a list of at most {MAX_OPTIONS}")
        return problems
    for number, option in enumerate(options, start=1):
        if not isinstance(option, dict) or set(option) != {"text", "correct"}:
            problems.append(f"option {number} is not an object of “text” and “correct”")
            continue
        problem = text_problem(option["text"], MAX_OPTION_CHARS)
        if problem:
            problems.append(f"option {number} {problem}")
        if not isinstance(option["correct"], bool):
            problems.append(f"option {number}: “correct” is not true or false")
    return problems
