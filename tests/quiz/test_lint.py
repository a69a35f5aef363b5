"""The question linter: each checkable item-writing rule of QUALITY.md ("Exam questions") on the
kind of question that breaks it, and a good question that breaks none."""

import random
import re
import time

import pytest

from cards.calculators.units import parse_quantity
from cards.quiz.drafts import Option, QuestionDraft
from cards.quiz.lint import (
    Known,
    _asked,
    _figure_in,
    _words_in,
    exam_problems,
    question_problems,
)

GOOD_STEM = "What is the maximum timeout of a Lambda function?"
GOOD_OPTIONS = ("300 seconds", "600 seconds", "900 seconds", "1,200 seconds")


def single(stem=GOOD_STEM, options=GOOD_OPTIONS, key=2, **fields) -> QuestionDraft:
    fields.setdefault("explanation", "Lambda limits: the maximum timeout is 900 seconds.")
    fields.setdefault("card_id", 1)
    fields.setdefault("source_url", "/decks/lambda/notes/limits/#L4")
    return QuestionDraft(
        kind="single",
        stem=stem,
        options=tuple(Option(text, n == key) for n, text in enumerate(options)),
        **fields,
    )


def test_a_well_written_question_breaks_no_rule():
    assert question_problems(single()) == []


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        (single(stem="Lambda limits › Timeout › Maximum?"), "heading_path"),
        (single(stem="Timeout"), "stem_fragment"),
        (single(stem="What is the ==maximum== timeout of a function?"), "leftover_markup"),
        (single(stem="Which is not a valid timeout for a function?"), "unmarked_negative"),
        (single(options=GOOD_OPTIONS[:3]), "too_few_options"),
        (single(options=(*GOOD_OPTIONS[:3], "None of the above")), "all_or_none"),
        (single(options=("300 seconds", "10 GB", "900 seconds", "1,200 seconds")), "options_mixed"),
        (single(options=("300 s", "600 s", "900 s", "1,200 s", "15000 s")), "number_format"),
        (single(explanation=""), "no_explanation"),
        (single(source_url=""), "no_explanation"),
    ],
)
def test_each_rule_names_the_question_that_breaks_it(question, rule):
    assert rule in question_problems(question)


def test_the_same_value_in_another_unit_is_not_a_distinct_option():
    question = single(options=("300 seconds", "600 seconds", "900 seconds", "15 minutes"))
    assert "options_not_distinct" in question_problems(question)


def test_numeric_options_must_ascend():
    question = single(options=("600 seconds", "300 seconds", "900 seconds", "1,200 seconds"))
    assert "numbers_not_ascending" in question_problems(question)


def test_a_distractor_a_note_states_as_true_is_refused():
    known = Known(true_values=frozenset({"600 seconds"}))
    assert "distractor_true" in question_problems(single(), known)
    known = Known(quantities=(parse_quantity("10 minutes"),))
    assert "distractor_true" in question_problems(single(), known)


def test_a_key_from_a_line_the_fact_check_flagged_is_refused():
    assert "key_flagged" in question_problems(single(), Known(flagged=True))


def test_select_several_needs_two_keys_among_five_options_and_says_how_many():
    options = ("Amazon SQS", "Amazon SNS", "Amazon EC2", "Amazon RDS", "Amazon EFS")

    def multiple(stem, keys):
        return QuestionDraft(
            kind="multiple",
            stem=stem,
            options=tuple(Option(text, n in keys) for n, text in enumerate(options)),
            explanation="Lambda integrations.",
            card_id=1,
            source_url="/x/#L1",
        )

    assert "bad_multiple" not in question_problems(
        multiple("Which TWO services can invoke Lambda asynchronously?", {0, 1})
    )
    assert "bad_multiple" in question_problems(
        multiple("Which services can invoke Lambda asynchronously?", {0, 1})
    )
    assert "bad_multiple" in question_problems(
        multiple("Which TWO services can invoke Lambda asynchronously?", {0})
    )


@pytest.mark.parametrize(
    ("stem", "options", "key"),
    [
        (  # the deployment's name says the figure
            "Linear10PercentEvery1Minute shifts [...] more traffic every minute. What completes "
            "the sentence?",
            ("10%", "15%", "20%", "90%"),
            0,
        ),
        (  # the other bound of a range
            "Multipart upload parts are between [...] and 5 GiB. What completes the sentence?",
            ("1 MiB", "5 MiB", "10 MiB", "100 MiB"),
            1,
        ),
        (
            "Amazon SQS stores messages for consumers to poll. Which service is a queue?",
            ("Amazon SNS", "Amazon SQS", "Amazon MQ", "Amazon Kinesis"),
            1,
        ),
    ],
)
def test_a_stem_that_shows_the_key_gives_it_away(stem, options, key):
    assert "key_in_stem" in question_problems(single(stem=stem, options=options, key=key))


def test_a_stem_that_shows_every_option_or_none_gives_no_clue():
    assert "key_in_stem" not in question_problems(single())
    stem = "A function of 1.5 GB runs 10 times a day. How long may one invocation run at most?"
    assert "key_in_stem" not in question_problems(single(stem=stem))
    options = ("Amazon Kinesis", "Amazon MQ", "Amazon SNS", "Amazon SQS")
    stem = "Of Amazon Kinesis, Amazon MQ, Amazon SNS and Amazon SQS, which is a queue to poll?"
    assert "key_in_stem" not in question_problems(single(stem=stem, options=options, key=3))


def test_a_distractor_that_happens_to_be_in_the_stem_does_not_hide_the_clue():
    stem = (
        "Linear10PercentEvery1Minute shifts [...] more every minute. What completes the sentence?"
    )
    question = single(stem=stem, options=("1%", "10%", "50%", "90%"), key=1)
    assert "key_in_stem" in question_problems(question)


def test_an_exam_asks_each_fact_once_and_spreads_the_key():
    questions = [single(fact=f"card:{n}", key=n % 4) for n in range(8)]
    found = exam_problems(questions, [q.fact for q in questions])
    assert found["repeated_facts"] == 0 and found["key_positions"] == [2, 2, 2, 2]
    assert exam_problems(questions, ["card:1"] * 8)["repeated_facts"] == 7


def test_a_typed_answer_the_stem_shows_is_given_away_too():
    stem = "Linear10PercentEvery1Minute shifts [...] more every minute. Type the value."
    question = QuestionDraft(
        kind="numeric",
        stem=stem,
        answer="10%",
        explanation="CodeDeploy.",
        card_id=1,
        source_url="/x",
    )
    assert "key_in_stem" in question_problems(question)
    question = QuestionDraft(
        kind="numeric",
        stem=GOOD_STEM,
        answer="900 seconds",
        explanation="x",
        card_id=1,
        source_url="/x",
    )
    assert question_problems(question) == []


def test_a_figure_or_words_are_found_in_the_stem_exactly_where_the_rule_s_regex_finds_them():
    """_figure_in and _words_in are these regexes written out with str.find, for speed."""
    rng = random.Random(17)
    alphabet = "10.,5 ab_é٣x$"  # digits (one Arabic-Indic), separators, word characters
    for _ in range(4_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        needle = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        figure = rf"(?<![\d.,]){re.escape(needle)}(?![\d,]|\.\d)"
        words = rf"(?<!\w){re.escape(needle)}(?!\w)"
        assert _figure_in(needle, text) == bool(re.search(figure, text)), (needle, text)
        assert _words_in(needle, text) == bool(re.search(words, text)), (needle, text)


def test_the_question_a_stem_asks_is_its_last_sentence_ending_in_a_question_mark():
    """_asked finds the last match of this regex from the end, in linear time."""
    rng = random.Random(5)
    for _ in range(4_000):
        stem = "".join(rng.choice("ab .?!\n") for _ in range(rng.randint(0, 16)))
        last = stem.strip().split("\n\n")[-1]
        found = re.findall(r"[^.?!]*\?", last)
        assert _asked(stem) == (found[-1] if found else last), repr(stem)


def test_a_long_statement_without_a_question_mark_is_linted_quickly():
    stem = "word " * 2_000 + "Which completes it:"
    started = time.perf_counter()
    question_problems(single(stem=stem))
    assert time.perf_counter() - started < 0.1, "the stem's last sentence was searched for badly"
