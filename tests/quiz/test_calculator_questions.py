import re
from dataclasses import replace
from decimal import Decimal

import pytest

from cards.calculators.facts import Facts, load_facts
from cards.calculators.pricing import monthly_cost
from cards.quiz.calculator_questions import (
    FITS,
    limits_questions,
    pricing_mistakes,
    pricing_questions,
    usd,
)

SEEDS = range(12)


def scenario(question):
    """The settings a pricing stem describes, read back from its text."""
    stem = question.stem.replace(",", "")
    storage = re.search(r"(\d+) MB of ephemeral storage", stem)
    return {
        "requests": int(re.search(r"invoked (\d+) times", stem).group(1)),
        "duration_ms": Decimal(re.search(r"runs for (\d+) ms", stem).group(1)),
        "memory_mb": int(re.search(r"(\d+) MB of memory", stem).group(1)),
        "arch": re.search(r"on (x86_64|arm64)", stem).group(1),
        "ephemeral_mb": int(storage.group(1)) if storage else 512,
    }


def correct_options(question):
    return [option.text for option in question.options if option.correct]


def test_same_seed_gives_the_same_questions():
    assert pricing_questions(seed=7, count=5) == pricing_questions(seed=7, count=5)
    assert limits_questions(seed=7, count=5) == limits_questions(seed=7, count=5)


def test_other_seeds_give_other_questions():
    stems = {q.stem for seed in SEEDS for q in pricing_questions(seed=seed, count=1)}
    assert len(stems) > len(SEEDS) // 2, "scenarios should vary with the seed"


def test_pricing_question_has_four_options_and_the_answer_is_monthly_costs_total():
    for seed in SEEDS:
        for question in pricing_questions(seed=seed, count=3):
            assert question.kind == "single"
            assert len(question.options) == 4
            expected = monthly_cost(**scenario(question)).total_usd
            assert correct_options(question) == [usd(expected)], question.stem


def test_pricing_distractors_differ_from_the_answer_and_each_other_by_a_cent_or_more():
    for seed in SEEDS:
        for question in pricing_questions(seed=seed, count=3):
            amounts = [Decimal(o.text.strip("$").replace(",", "")) for o in question.options]
            for i, a in enumerate(amounts):
                for b in amounts[i + 1 :]:
                    assert abs(a - b) >= Decimal("0.01"), question.options


def test_forgetting_the_free_tier_is_always_a_distractor():
    for seed in SEEDS:
        [question] = pricing_questions(seed=seed, count=1)
        settings = scenario(question)
        forgot = usd(monthly_cost(**settings, free_tier=False).total_usd)
        wrong = [o.text for o in question.options if not o.correct]
        assert forgot in wrong, "the total without the free tier is offered as a wrong answer"


def test_the_600k_gb_seconds_per_dollar_price_is_always_a_distractor():
    facts = load_facts()
    for seed in SEEDS:
        [question] = pricing_questions(seed=seed, count=1)
        settings = scenario(question)
        family = "arm" if settings["arch"] == "arm64" else "x86"
        key = f"price.{family}.gb_second.tier1"
        per_600k = replace(facts.get(key), value=1 / Decimal(600_000))
        mistaken = Facts({**facts.by_key, key: per_600k})
        expected = usd(monthly_cost(**settings, facts=mistaken).total_usd)
        wrong = [o.text for o in question.options if not o.correct]
        assert expected in wrong, "AWS's '$1 for 600,000 GB-seconds' price is a wrong answer"


def test_every_pricing_distractor_is_a_named_mistake_in_the_explanation():
    for seed in SEEDS:
        [question] = pricing_questions(seed=seed, count=1)
        named = {m.total: m.name for m in pricing_mistakes(**scenario(question))}
        for option in question.options:
            if option.correct:
                continue
            total = Decimal(option.text.strip("$").replace(",", ""))
            assert total in named, f"{option.text} should come from a known mistake"
            assert f"{option.text}: {named[total]}" in question.explanation


def test_arm_question_can_offer_the_x86_price_mistake():
    mistakes = pricing_mistakes(
        requests=5_000_000, duration_ms=Decimal(200), memory_mb=1024, arch="arm64"
    )
    x86 = monthly_cost(requests=5_000_000, duration_ms=Decimal(200), memory_mb=1024)
    by_name = {m.name: m.total for m in mistakes}
    assert by_name["used the x86 price for an Arm function"] == x86.total_usd
    assert "rounded the duration up to 100 ms (billing is per 1 ms)" not in by_name, (
        "200 ms is already a multiple of 100 ms, so that slip changes nothing"
    )


def test_pricing_explanation_itemises_the_bill():
    [question] = pricing_questions(seed=1, count=1)
    result = monthly_cost(**scenario(question))
    for line in result.lines:
        assert line.label in question.explanation
    assert f"Total: {usd(result.total_usd)}" in question.explanation


def test_pricing_question_metadata():
    questions = pricing_questions(seed=4, count=3)
    assert [q.key for q in questions] == [
        "calc-pricing-4-0",
        "calc-pricing-4-1",
        "calc-pricing-4-2",
    ]
    assert {q.topic for q in questions} == {"Lambda pricing"}
    assert {q.card_id for q in questions} == {None}


@pytest.mark.parametrize(
    ("stem", "fits"),
    [
        ("12 GB container image", False),
        ("6 GB container image", True),
        ("120 MB, uploaded directly", False),
        ("20 minutes of processing", False),
        ("5 minutes of processing", True),
        ("attaches 6 Lambda layers", False),
        ("attaches 5 Lambda layers", True),
        ("12,288 MB of memory", False),
    ],
)
def test_limits_question_answer_says_whether_the_scenario_fits(stem, fits):
    matching = [
        q for seed in range(200) for q in limits_questions(seed=seed, count=2) if stem in q.stem
    ]
    assert matching, f"some seed asks about {stem!r}"
    for question in matching:
        [answer] = correct_options(question)
        assert (answer == FITS) is fits, f"{question.stem} -> {answer}"
        assert question.explanation, "the explanation gives the limit and what to do"


def test_limits_questions_have_four_distinct_options_and_one_answer():
    for seed in SEEDS:
        for question in limits_questions(seed=seed, count=4):
            texts = [option.text for option in question.options]
            assert len(texts) == 4 and len(set(texts)) == 4
            assert len(correct_options(question)) == 1
            assert question.kind == "single" and question.card_id is None
            assert question.key.startswith(f"calc-limits-{seed}-")


def test_over_the_limit_answer_names_the_way_out():
    matching = [
        q
        for seed in range(200)
        for q in limits_questions(seed=seed, count=2)
        if "270 MB unzipped" in q.stem
    ]
    assert matching
    [answer] = correct_options(matching[0])
    assert "container image" in answer and "250 MB" in answer
