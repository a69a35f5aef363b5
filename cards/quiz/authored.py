"""Hand-written exam questions inside notes: `> [!question]` callouts with ticked task-list options.

Pure: never imports Django and never raises; a block it cannot use becomes a warning by line.
The syntax is documented in docs/authoring-questions.md.
"""

import hashlib
import re
from dataclasses import dataclass

from cards.content.source import Issue
from cards.content.text import normalise, plain
from cards.content.tree import NoteTree
from cards.quiz.drafts import (
    MAX_EXPLANATION_CHARS,
    MAX_OPTION_CHARS,
    MAX_OPTIONS,
    MAX_STEM_CHARS,
    Option,
    QuestionDraft,
)
from cards.quiz.generate import NUMBER_WORDS, topic_for

OPTION = re.compile(r"^[-*+][ \t]+\[([ xX])\][ \t]*(.*)$")
EXPLANATION = re.compile(
    r"^(?:\*\*|__)?(?:explanation|why)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(.*)$", re.I
)
SELECT = re.compile(r"(?i:\bselect\b)|\b(?:TWO|THREE|FOUR)\b")  # the stem already says how many
TRUE_FALSE = ("true", "false")


@dataclass(frozen=True)
class AuthoredQuestion:
    stem: str
    options: tuple[Option, ...]
    explanation: str
    line: int  # the `> [!question]` line
    heading_path: tuple[str, ...]
    key: str  # from the normalised stem: moving or editing options keeps it
    note_title: str = ""

    @property
    def kind(self) -> str:
        texts = tuple(normalise(option.text) for option in self.options)
        if sorted(texts) == sorted(TRUE_FALSE):
            return "true_false"
        return "multiple" if sum(option.correct for option in self.options) > 1 else "single"

    @property
    def topic(self) -> str:
        return topic_for(self.note_title, self.heading_path)

    def to_draft(self, topic: str | None = None, source_url: str = "") -> QuestionDraft:
        stem = self.stem
        correct = sum(option.correct for option in self.options)
        if self.kind == "multiple" and not SELECT.search(stem):
            stem = f"{stem} (Select {NUMBER_WORDS.get(correct, str(correct))}.)"
        return QuestionDraft(
            kind=self.kind,
            stem=stem,
            options=self.options,
            explanation=self.explanation,
            topic=self.topic if topic is None else topic,
            source_url=source_url,
            key=self.key,
        )


def question_key(stem: str) -> str:
    return hashlib.sha1(f"authored|{normalise(stem)}".encode()).hexdigest()[:20]


def parse_questions(
    tree: NoteTree, *, note_title: str = ""
) -> tuple[list[AuthoredQuestion], list[Issue]]:
    """The question callouts of a note's tree in order, and warnings for unusable ones."""
    questions: list[AuthoredQuestion] = []
    warnings: list[Issue] = []
    for callout in tree.callouts:
        block = [callout.title, *(text for _, text in callout.lines)]
        path = tuple(text for text in (plain(heading) for heading in callout.heading_path) if text)
        found, issues = _question(block, callout.line, path, note_title)
        warnings += issues
        if found:
            questions.append(found)
    return questions, warnings


def _question(
    block: list[str], line: int, path: tuple[str, ...], note_title: str
) -> tuple[AuthoredQuestion | None, list[Issue]]:
    stem_lines = [block[0].strip()]
    options: list[Option] = []
    explanation: list[str] = []
    for text in block[1:]:
        text = text.strip()
        option = OPTION.match(text)
        if explanation:
            explanation.append(text)
        elif option:
            options.append(Option(option.group(2).strip(), option.group(1) != " "))
        elif EXPLANATION.match(text):
            explanation.append(EXPLANATION.match(text).group(1))
        elif options and text:
            last = options[-1]  # a wrapped option goes on
            options[-1] = Option(f"{last.text} {text}", last.correct)
        else:
            stem_lines.append(text)
    stem = " ".join(part for part in stem_lines if part)
    explained = "\n".join(explanation).strip()
    problem = _too_long(stem, options, explained)
    if not stem:
        problem = "question has no stem: write it after `[!question]`"
    elif len(options) < 2:
        problem = "question needs at least 2 options written as `- [ ]` / `- [x]`"
    elif not any(option.correct for option in options):
        problem = "question has no ticked option: mark the correct ones `- [x]`"
    if problem:
        return None, [Issue(line, f"{problem}; question skipped")]
    question = AuthoredQuestion(
        stem=stem,
        options=tuple(options),
        explanation=explained,
        line=line,
        heading_path=path,
        key=question_key(stem),
        note_title=note_title,
    )
    if question.kind == "true_false" and sum(option.correct for option in options) != 1:
        return None, [Issue(line, "true/false question must tick exactly one; question skipped")]
    return question, []


def _too_long(stem: str, options: list[Option], explanation: str) -> str:
    """What is over its size limit (drafts.py), or "": every quiz page renders these again."""
    if len(stem) > MAX_STEM_CHARS:
        return f"question stem is {len(stem):,} characters long; the limit is {MAX_STEM_CHARS:,}"
    if len(options) > MAX_OPTIONS:
        return f"question has {len(options)} options; the limit is {MAX_OPTIONS}"
    for number, option in enumerate(options, start=1):
        if len(option.text) > MAX_OPTION_CHARS:
            return (
                f"option {number} is {len(option.text):,} characters long; "
                f"the limit is {MAX_OPTION_CHARS:,}"
            )
    if len(explanation) > MAX_EXPLANATION_CHARS:
        return (
            f"explanation is {len(explanation):,} characters long; "
            f"the limit is {MAX_EXPLANATION_CHARS:,}"
        )
    return ""
