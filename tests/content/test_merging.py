"""One fact, one card: which cards of different notes ask the same fact (content/merging.py)."""

import pytest

from cards.content.merging import Asked, figures, groups, same_fact


def asked(id, note, question, answer, topic=""):
    return Asked(id, note, question, answer, topic)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # The same figure of the same setting, worded by two people.
        (("SQS: default visibility timeout?", "30 s", ""),
         ("Amazon SQS Visibility timeout: [...] by default", "30 seconds", "Amazon SQS")),
        # The same term defined in two notes on one subject.
        (("Amazon SQS: Visibility timeout?", "how long a message stays hidden", "Amazon SQS"),
         ("SQS: Visibility timeout?", "the window in which nobody else sees it", "SQS")),
        # One term the other names in brackets.
        (("Amazon SQS: Delivery delay (delay queue)?", "new messages stay invisible", "Amazon SQS"),
         ("SQS: Delay queue?", "messages wait before they can be received", "SQS")),
        # A range that holds the other's figure, about the thing the other names.
        (("API GW: Integration timeout?", "50 ms to 29 s for REST by default", "API GW"),
         ("API Gateway: REST integration timeout?", "29 s", "serverless services")),
        # A cheat sheet's row naming the subject of the other's note.
        (("SQS: max retention?", "14 days", "serverless services"),
         ("Max SQS message retention?", "14 days", "SQS")),
    ],
)  # fmt: skip
def test_cards_asking_one_fact_are_the_same(one, other):
    assert same_fact(asked(1, 1, *one), asked(2, 2, *other))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # The default and the maximum of one setting.
        (("Amazon SQS Visibility timeout: max [...]", "12 hours", "Amazon SQS"),
         ("SQS: default visibility timeout?", "12 h", "")),
        # Two things named differently, with one figure.
        (("WebSocket API (vs REST API): max integration timeout?", "29 s", "API Gateway"),
         ("REST API (vs WebSocket API): max integration timeout?", "29 s", "API GW")),
        # One term in notes on two subjects asks two things.
        (("Lambda pricing: Provisioned concurrency?", "a charge per GB-second", "Lambda pricing"),
         ("Lambda SnapStart: Provisioned concurrency?", "environments already running",
          "Lambda SnapStart")),
        # A yes and a no.
        (("REST API: caching?", "yes", "API Gateway"), ("HTTP API: caching?", "no", "API Gateway")),
        # A date and another date in the same year.
        (("dotnet9: Deprecated on?", "10 November 2026", "Lambda runtimes"),
         ("Container images: SnapStart supported since?", "2 September 2026", "Lambda runtimes")),
        # One shared word and a small count say nothing.
        (("Draft question 3?", "Answer 3", ""), ("Question number 3?", "Answer 3", "")),
    ],
)  # fmt: skip
def test_cards_asking_two_facts_are_not_the_same(one, other):
    assert not same_fact(asked(1, 1, *one), asked(2, 2, *other))


def test_cards_of_one_note_are_never_merged_with_each_other_alone():
    first = asked(1, 1, "SQS: Visibility timeout?", "how long a message stays hidden", "SQS")
    second = asked(2, 1, "SQS: Visibility timeout?", "hidden from other consumers", "SQS")
    assert not same_fact(first, second)


def test_a_group_holds_only_cards_that_agree_with_each_other():
    """A card that resembles two facts does not join them into one group."""
    cards = [
        asked(1, 1, "API GW: Integration timeout?", "50 ms to 29 s for REST", "API GW"),
        asked(2, 2, "REST API (vs WebSocket API): max integration timeout?", "29 s", "API GW"),
        asked(3, 2, "WebSocket API (vs REST API): max integration timeout?", "29 s", "API GW"),
    ]
    assert [[card.id for card in group] for group in groups(cards, set())] == [[1, 2]]


def test_pairs_kept_apart_never_join_one_group():
    cards = [
        asked(1, 1, "SQS: max retention?", "14 days", "serverless services"),
        asked(2, 2, "Max SQS message retention?", "14 days", "SQS"),
    ]
    assert groups(cards, {frozenset((1, 2))}) == []
    assert len(groups(cards, set())) == 1


def test_figures_read_units_ranges_and_dates():
    assert figures("30 seconds") == figures("30 s")
    assert len(figures("50 ms to 29 s for REST")) == 2
    assert figures("supported since 2 September 2026") != figures("supported since 2026")
    assert figures("announced in 2014") == frozenset()


def test_the_same_figure_in_notes_on_two_services_is_two_facts():
    sqs = asked(1, 1, "SQS: maximum retention?", "14 days", "Amazon SQS")
    kinesis = asked(2, 2, "Kinesis: maximum retention?", "14 days", "Amazon Kinesis")
    assert not same_fact(sqs, kinesis)
