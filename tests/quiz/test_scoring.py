"""Checking answers and scoring attempts (cards/quiz/scoring.py)."""

from cards.quiz.drafts import Option, QuestionDraft
from cards.quiz.scoring import PASS_MARK, check_answer, passes, score


def test_single_answers_are_checked_by_option_index():
    question = QuestionDraft(
        kind="single", stem="?", options=(Option("a", False), Option("b", True))
    )
    assert check_answer(question, "1") and check_answer(question, ["1"])
    assert not check_answer(question, "0")
    assert not check_answer(question, "b"), "options are answered by index, not text"
    assert not check_answer(question, ["0", "1"])
    assert not check_answer(question, [])


def test_select_two_needs_exactly_the_correct_set():
    question = QuestionDraft(
        kind="multiple",
        stem="(Select TWO.)",
        options=(Option("a", True), Option("b", False), Option("c", True), Option("d", False)),
    )
    assert check_answer(question, ["2", "0"])
    assert not check_answer(question, ["0"]), "half right is wrong"
    assert not check_answer(question, ["0", "1", "2"])


def exam(topics):
    return [
        QuestionDraft(
            kind="single",
            stem="?",
            options=(Option("right", True), Option("wrong", False)),
            topic=topic,
            key=f"q{n}",
        )
        for n, topic in enumerate(topics)
    ]


def test_score_passes_at_72_percent_and_not_below():
    questions = exam(["T"] * 25)
    right = {f"q{n}": "0" for n in range(18)}  # 18/25 = 72%
    result = score(questions, right)
    assert (result.correct, result.total, result.percent, result.passed) == (18, 25, 72, True)
    right.pop("q0")
    result = score(questions, right)
    assert result.percent == 68 and not result.passed
    assert PASS_MARK == 72


def test_score_rounds_down_so_a_shown_71_percent_never_passes():
    questions = exam(["T"] * 1000)
    result = score(questions, {f"q{n}": "0" for n in range(719)})
    assert result.percent == 71 and not result.passed


def test_score_by_topic_is_sorted_by_topic():
    questions = exam(["Pricing", "Limits", "Limits", "Pricing", "Limits"])
    answers = {"q0": "0", "q1": "0", "q2": "1", "q4": "0"}
    result = score(questions, answers)
    table = [(t.topic, t.correct, t.total, t.percent) for t in result.by_topic]
    assert table == [("Limits", 2, 3, 66), ("Pricing", 1, 2, 50)]


def test_empty_exam_scores_zero_and_fails():
    result = score([], {})
    assert (result.percent, result.passed, result.by_topic) == (0, False, [])


def test_an_exam_passes_by_the_same_rule_as_a_score():
    assert passes(18, 25) and not passes(17, 25)
    assert not passes(7195, 10000), "71.95% shows as 72.0% but does not pass"
