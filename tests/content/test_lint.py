"""The card rules of QUALITY.md as code (content/lint.py), and what a card's front names
(content/subjects.py)."""

import pytest

from cards.content.lint import CardView, card_problems, same_front_different_answer
from cards.content.subjects import ask, clean_title, lead, subject_of


def view(front, back="an answer", kind="basic", **extra):
    return CardView(kind=kind, front_html=f"<p>{front}</p>", back_html=f"<p>{back}</p>", **extra)


@pytest.mark.parametrize(
    ("card", "rule"),
    [
        (view("Lambda limits › Timeout"), "heading_path"),
        (view("Pricing"), "asks_nothing"),
        (view("Lambda: timeout ==900 s==?"), "leftover_markup"),
        (view("Whatâ€™s the timeout?"), "leftover_markup"),
        (view("Lambda: max timeout?", ""), "leftover_markup"),
        (view("Lambda timeout of 900 seconds: the maximum?", "900 seconds"), "gives_away"),
        (view("Lambda: benefits — name all 7?", "\n".join("x" * 7), kind="list", list_items=7),
         "long_list"),
        (view("Lambda: max timeout?", "10 minutes", untrue=True), "untrue"),
    ],
)  # fmt: skip
def test_each_rule_catches_the_card_it_names(card, rule):
    assert rule in card_problems(card)


@pytest.mark.parametrize(
    "card",
    [
        view("AWS Lambda: maximum timeout?", "900 seconds"),
        view("AWS Lambda: The [...] of a function is 15 minutes.", "x", kind="cloze", answer="max"),
        view("S3 storage classes: [...]; S3 Standard-IA", "S3 Standard", kind="cloze",
             answer="S3 Standard"),
        view("Query or Scan: which one needs a partition key?", "Query"),
        view("IAM: role ARN?", "arn:aws:iam::123456789012:role/app"),
        view("Lambda: max timeout?", "10 minutes", untrue=True, marked=True),
    ],
)  # fmt: skip
def test_good_cards_break_no_rule(card):
    assert card_problems(card) == []


def test_same_front_with_two_answers_is_one_pair():
    cards = [view("SQS: retention?", "4 days"), view("SQS: retention?", "14 days"),
             view("SQS: retention?", "4 days")]  # fmt: skip
    assert same_front_different_answer(cards) == [(0, 1), (1, 2)]


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("Amazon SQS – my notes", "Amazon SQS"),
        ("sqs stuff for the dev associate exam, week 3", "sqs"),
        ("IAM part 2 - roles, policies, STS", "IAM"),
        ("What is AWS Lambda", "AWS Lambda"),
        ("New note", ""),
    ],
)
def test_a_note_title_is_cleaned_to_its_subject(title, subject):
    assert clean_title(title) == subject


def test_fronts_name_their_subject_once():
    assert ask("Amazon SQS", "Visibility timeout") == "Amazon SQS: Visibility timeout?"
    assert ask("Amazon SQS", "SQS visibility timeout") == "SQS visibility timeout?"
    assert lead("AWS Lambda", "The [...] is 15 minutes.") == "AWS Lambda: The [...] is 15 minutes."
    assert subject_of("AWS Lambda", ("Limits worth knowing",)) == "AWS Lambda Limits"
    assert subject_of("AWS Lambda", ("SnapStart or provisioned concurrency?",)) == (
        "SnapStart or provisioned concurrency"
    )
