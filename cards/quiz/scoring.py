"""Checking an answer and scoring an attempt: one rule for practice, exams and results.

Pure: never imports Django.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from cards.calculators.units import check_typed_answer
from cards.quiz.drafts import QuestionDraft

PASS_MARK = 72  # percent; AWS associate exams pass at 720 of 1000


@dataclass(frozen=True)
class TopicScore:
    topic: str
    correct: int
    total: int
    percent: int


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    percent: int  # rounded down, so a shown "71%" never passes
    passed: bool
    by_topic: list[TopicScore] = field(default_factory=list)


def _chosen(given: list[str] | str) -> set[int] | None:
    values = [given] if isinstance(given, str) else list(given)
    chosen = set()
    for value in values:
        text = str(value).strip()
        if not text.isdigit():
            return None
        chosen.add(int(text))
    return chosen


def check_answer(question: QuestionDraft, given: list[str] | str) -> bool:
    """Options are answered by index as strings ("0", "2"); a numeric question by the typed
    value, units understood ("15 min" for "900 seconds"). Anything else is wrong, never an error.
    """
    if question.kind == "numeric":
        typed = given if isinstance(given, str) else (given[0] if given else "")
        return check_typed_answer(str(typed), question.answer)
    chosen = _chosen(given)
    correct = {number for number, option in enumerate(question.options) if option.correct}
    return bool(chosen) and chosen == correct


def _percent(correct: int, total: int) -> int:
    return correct * 100 // total if total else 0


def passes(correct: int, total: int) -> bool:
    """At least PASS_MARK percent, exactly: 71.95% does not pass, whatever rounding shows."""
    return total > 0 and correct * 100 >= PASS_MARK * total


def score(questions: list[QuestionDraft], answers: dict[str, list[str] | str]) -> Score:
    """The result of an attempt; `answers` maps question keys to what was given."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    correct = 0
    for question in questions:
        given = answers.get(question.key)
        right = given is not None and check_answer(question, given)
        correct += right
        tally[question.topic][0] += right
        tally[question.topic][1] += 1
    total = len(questions)
    return Score(
        correct=correct,
        total=total,
        percent=_percent(correct, total),
        passed=passes(correct, total),
        by_topic=[
            TopicScore(topic, right, asked, _percent(right, asked))
            for topic, (right, asked) in sorted(tally.items())
        ],
    )
