"""Plain data shared by question generators (quiz.py, calculator scenarios) and the quiz views.

Pure: no Django import.
"""

from dataclasses import dataclass, field


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
