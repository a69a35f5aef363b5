from decimal import Decimal
from pathlib import Path

import pytest

from cards.calculators.units import (
    Quantity,
    check_typed_answer,
    equivalent,
    format_quantity,
    parse_quantity,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "value", "unit", "dimension"),
    [
        ("15 min", "15", "min", "time"),
        ("15 minutes", "15", "min", "time"),
        ("900 s", "900", "s", "time"),
        ("900 seconds", "900", "s", "time"),
        ("900s", "900", "s", "time"),
        ("1.5 h", "1.5", "h", "time"),
        ("10m", "10", "min", "time"),
        ("100 ms", "100", "ms", "time"),
        ("10,240 MB", "10240", "MB", "data"),
        ("10 GB", "10", "GB", "data"),
        ("4 KB", "4", "KB", "data"),
        ("256 kb", "256", "KB", "data"),
        ("6 MB", "6", "MB", "data"),
        ("128MiB", "128", "MB", "data"),
        ("$0.20", "0.20", "USD", "money"),
        ("0.2 USD", "0.2", "USD", "money"),
        ("USD 0.2", "0.2", "USD", "money"),
        ("20 cents", "20", "cents", "money"),
        ("1,000", "1000", "", "count"),
        ("1k", "1000", "", "count"),
        ("1M requests", "1000000", "requests", "count"),
        ("2 million", "2000000", "", "count"),
        ("5 layers", "5", "layers", "count"),
        ("50%", "50", "%", "percent"),
        ("50 percent", "50", "%", "percent"),
        ("400,000 GB-seconds", "400000", "GB-s", "compute"),
        ("  **15   min**. ", "15", "min", "time"),
        ("15\u00a0min", "15", "min", "time"),
    ],
)
def test_quantities_are_read_in_the_spellings_notes_use(text, value, unit, dimension):
    assert parse_quantity(text) == Quantity(Decimal(value), unit, dimension)


@pytest.mark.parametrize(
    "text",
    ["", "Node.js", "fifteen minutes", "1,00 MB", "$0.20 per 1M requests", "15 min or so!", "1e3"],
)
def test_text_that_is_not_a_quantity_is_not_guessed_at(text):
    assert parse_quantity(text) is None


def test_a_duration_written_in_parts_is_summed():
    assert equivalent("1h 30min", "90 minutes")
    assert equivalent("2 min 30 s", "150 s")
    assert parse_quantity("1h 30 lambdas") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("15 min", "900 s"),
        ("900 s", "900 seconds"),
        ("15 minutes", "0.25 h"),
        ("10 GB", "10,240 MB"),
        ("256 KB", "262,144 bytes"),
        ("$0.20", "0.2 USD"),
        ("$0.20", "20 cents"),
        ("1,000", "1k"),
        ("1M requests", "1,000,000 requests"),
        ("5 layers", "5 layer"),
        ("15", "15 min"),
        ("5", "5 layers"),
        ("50", "50%"),
        ("1k minutes", "1000 min"),
        ("1 hour", "3,600,000 ms"),
    ],
)
def test_the_same_amount_in_other_units_is_equivalent(a, b):
    assert equivalent(a, b)
    assert equivalent(b, a), "equivalence must not depend on the order"


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("15 min", "15 s", "same number, different unit"),
        ("15", "900 s", "a bare number is compared as written, not converted"),
        ("10 GB", "10,000 MB", "Lambda's MB are binary: 10 GB is 10,240 MB"),
        ("15 min", "15 MB", "different dimensions"),
        ("$5", "5%", "different dimensions"),
        ("5 layers", "5 functions", "counts of different things"),
        ("1M", "1m", "a million is not a minute"),
        ("15 min", "Node.js", "text is no quantity"),
        ("6 MB", "6.1 MB", "outside the tolerance"),
    ],
)
def test_different_amounts_are_not_equivalent(a, b, why):
    assert not equivalent(a, b), why


def test_tolerance_allows_rounded_answers():
    assert equivalent("0.0000166667 USD", "$0.00001666667")
    assert not equivalent("1.5 h", "1.6 h")
    assert equivalent("1.5 h", "1.6 h", rel_tol=Decimal("0.1"))


def test_equivalent_accepts_parsed_quantities():
    assert equivalent(Quantity(Decimal(15), "min", "time"), "900 s")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("900 seconds", "15 minutes"),
        ("15", "15 minutes"),
        ("10gb", "10,240 MB"),
        ("10240", "10,240"),
        ("  python  ", "Python"),
        ("Amazon  EventBridge", "amazon eventbridge"),
        ("arm64.", "arm64"),
        ("provisioned concurrency", "**Provisioned concurrency**"),
    ],
)
def test_typed_answers_are_accepted_leniently(typed, expected):
    assert check_typed_answer(typed, expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15 s", "15 minutes"),
        ("", "15 minutes"),
        ("   ", "Python"),
        ("java", "Python"),
        ("reserved concurrency", "provisioned concurrency"),
        ("900", "15 minutes"),
    ],
)
def test_wrong_typed_answers_are_refused(typed, expected):
    assert not check_typed_answer(typed, expected)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("15 minutes", "15 min"),
        ("10240 MB", "10,240 MB"),
        ("0.2 USD", "$0.20"),
        ("$0.0000166667", "$0.0000166667"),
        ("1k", "1,000"),
        ("50 percent", "50%"),
        ("1.50 h", "1.5 h"),
        ("3 AZs", "3 AZs"),
    ],
)
def test_quantities_are_written_back_plainly(text, shown):
    assert format_quantity(parse_quantity(text)) == shown


def test_base_amounts_use_binary_data_units_and_seconds():
    assert parse_quantity("1 MB").base == 1024 * 1024
    assert parse_quantity("15 min").base == 900
    assert parse_quantity("20 cents").base == Decimal("0.20")


def test_a_quantity_with_a_unit_of_another_dimension_is_refused():
    with pytest.raises(ValueError, match="not a unit of time"):
        Quantity(Decimal(5), "MB", "time")
