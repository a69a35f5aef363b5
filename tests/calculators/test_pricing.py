import json
from decimal import Decimal

import pytest

from cards.calculators.facts import DEFAULT_PATH, load_facts
from cards.calculators.pricing import monthly_cost

# AWS's worked examples, from https://aws.amazon.com/lambda/pricing/ (read 2026-11-23), all in
# US East (N. Virginia). Each test writes the example's inputs and the totals AWS states.

BILLION = 1_000_000_000


def lines_named(result, start):
    return [line for line in result.lines if line.label.startswith(start)]


def test_aws_example_mobile_application_backend():
    # "three million requests per month ... 120 ms ... 1536 MB of memory, on an x86 based
    # processor": compute $2.33 + requests $0.40 = $2.73 per month.
    result = monthly_cost(requests=3_000_000, duration_ms=Decimal(120), memory_mb=1536)
    assert result.gb_seconds == 540_000
    assert result.free_tier_applied == {"requests": 1_000_000, "gb_seconds": 400_000}
    assert result.compute_usd.quantize(Decimal("0.01")) == Decimal("2.33")
    assert result.requests_usd == Decimal("0.40")
    assert result.total_usd == Decimal("2.73")


def test_aws_example_enriching_streaming_telemetry_without_free_tier():
    # 10,000 vehicles x 24 x 31 = 7,440,000 messages, two seconds each at 1 GB on x86. AWS's
    # arithmetic in this example deducts no free tier: $1.49 + $248.00 = $249.49.
    result = monthly_cost(
        requests=7_440_000, duration_ms=Decimal(2000), memory_mb=1024, free_tier=False
    )
    assert result.requests_usd == Decimal("1.488")
    assert result.compute_usd.quantize(Decimal("0.01")) == Decimal("248.00")
    assert result.total_usd == Decimal("249.49")


def test_aws_example_ml_on_support_tickets_with_ephemeral_storage():
    # Six million requests, 280 ms, 4096 MB on x86, 2048 MB of ephemeral storage:
    # compute $105.33 + requests $1 + ephemeral storage $0.08 = $106.41.
    result = monthly_cost(
        requests=6_000_000, duration_ms=Decimal(280), memory_mb=4096, ephemeral_mb=2048
    )
    assert result.compute_usd.quantize(Decimal("0.01")) == Decimal("105.33")
    assert result.requests_usd == Decimal("1.00")
    assert result.storage_gb_seconds == 2_520_000
    assert result.storage_usd.quantize(Decimal("0.01")) == Decimal("0.08")
    assert result.total_usd == Decimal("106.41")


def test_aws_durable_functions_example_prices_arm_compute_and_requests():
    # The durable-functions example: 1,000,000 executions of 32 s at 1 GB on Arm, each made of
    # 2 invocations (2,000,000 requests, 16 s on average). Its Lambda part is compute $421.34
    # and requests $0.20; the rest of its $490.46 is durable-operation charges we do not model.
    result = monthly_cost(
        requests=2_000_000, duration_ms=Decimal(16_000), memory_mb=1024, arch="arm64"
    )
    assert result.gb_seconds == 32_000_000
    assert result.compute_usd.quantize(Decimal("0.01")) == Decimal("421.34")
    assert result.requests_usd == Decimal("0.20")


def test_aws_response_streaming_example_prices_compute_and_requests():
    # Three million requests, 500 ms, 1536 MB on x86: compute $30.83 and requests $0.40
    # (the example's other $7.81 is for streamed bytes, which we do not model).
    result = monthly_cost(requests=3_000_000, duration_ms=Decimal(500), memory_mb=1536)
    assert result.compute_usd.quantize(Decimal("0.01")) == Decimal("30.83")
    assert result.requests_usd == Decimal("0.40")


@pytest.mark.parametrize(
    ("arch", "boundary", "below", "above"),
    [
        ("x86_64", 6 * BILLION, "0.0000166667", "0.0000150000"),
        ("x86_64", 15 * BILLION, "0.0000150000", "0.0000133334"),
        ("arm64", 7_500_000_000, "0.0000133334", "0.0000120001"),
        ("arm64", 18_750_000_000, "0.0000120001", "0.0000106667"),
    ],
)
def test_duration_tier_changes_price_only_after_its_boundary(arch, boundary, below, above):
    # 1,024 MB for 1 s is exactly 1 GB-second per request.
    at = monthly_cost(
        requests=boundary, duration_ms=Decimal(1000), memory_mb=1024, arch=arch, free_tier=False
    )
    past = monthly_cost(
        requests=boundary + 1,
        duration_ms=Decimal(1000),
        memory_mb=1024,
        arch=arch,
        free_tier=False,
    )
    assert at.gb_seconds == boundary
    assert at.lines[-1].unit_price == Decimal(below), "the boundary GB-second is in the lower tier"
    assert past.lines[-1].unit_price == Decimal(above)
    assert past.lines[-1].quantity == 1, "only the GB-second past the boundary is cheaper"
    assert past.compute_usd - at.compute_usd == Decimal(above)


def test_all_three_x86_tiers_add_up():
    result = monthly_cost(
        requests=20 * BILLION, duration_ms=Decimal(1000), memory_mb=1024, free_tier=False
    )
    expected = (
        6 * BILLION * Decimal("0.0000166667")
        + 9 * BILLION * Decimal("0.0000150000")
        + 5 * BILLION * Decimal("0.0000133334")
    )
    assert [line.quantity for line in lines_named(result, "Compute")] == [
        6 * BILLION,
        9 * BILLION,
        5 * BILLION,
    ]
    assert result.compute_usd == expected


def test_free_tier_covers_the_first_tier_one_gb_seconds():
    result = monthly_cost(requests=6 * BILLION, duration_ms=Decimal(1000), memory_mb=1024)
    first_tier = lines_named(result, "Compute (x86_64), first")[0]
    assert first_tier.quantity == 6 * BILLION - 400_000, (
        "tiers count the month's total GB-seconds; the free ones are the first of tier 1"
    )


def test_small_workload_costs_nothing_within_the_free_tier():
    result = monthly_cost(requests=1_000_000, duration_ms=Decimal(100), memory_mb=128)
    assert result.total_usd == 0
    assert result.free_tier_applied == {"requests": 1_000_000, "gb_seconds": 12_500}


def test_without_free_tier_every_request_and_gb_second_is_charged():
    result = monthly_cost(
        requests=1_000_000, duration_ms=Decimal(100), memory_mb=128, free_tier=False
    )
    assert result.free_tier_applied == {"requests": 0, "gb_seconds": 0}
    assert result.requests_usd == Decimal("0.20")
    assert result.compute_usd == 12_500 * Decimal("0.0000166667")


def test_free_tier_is_one_allowance_of_gb_seconds_whatever_the_architecture():
    # AWS: the free tier is "usable for functions powered by both x86, and Graviton2
    # processors, in aggregate". We price one function, so it gets the allowance once, in
    # GB-seconds: Arm does not get a larger allowance for being cheaper per GB-second.
    workload = {"requests": 3_000_000, "duration_ms": Decimal(120), "memory_mb": 1536}
    x86 = monthly_cost(**workload, arch="x86_64")
    arm = monthly_cost(**workload, arch="arm64")
    assert (
        x86.free_tier_applied
        == arm.free_tier_applied
        == {
            "requests": 1_000_000,
            "gb_seconds": 400_000,
        }
    )
    assert arm.compute_usd == 140_000 * Decimal("0.0000133334")
    assert arm.total_usd < x86.total_usd


def test_duration_is_billed_rounded_up_to_the_next_millisecond():
    def billed(duration):
        return monthly_cost(
            requests=1_000, duration_ms=Decimal(duration), memory_mb=1024, free_tier=False
        )

    assert billed("120").billed_duration_ms == 120
    assert billed("120.0001").billed_duration_ms == 121
    assert billed("0.3").billed_duration_ms == 1, "even a sub-millisecond run is billed 1 ms"
    assert billed("120.2").gb_seconds == Decimal("121"), "1,000 x 121 ms at 1 GB"


def test_total_is_rounded_to_the_cent_half_up_and_the_exact_figure_is_kept():
    # 25,000 billable requests cost exactly half a cent; compute stays in the free tier.
    result = monthly_cost(requests=1_025_000, duration_ms=Decimal(1), memory_mb=128)
    assert result.total_exact_usd == Decimal("0.005")
    assert result.total_usd == Decimal("0.01"), "half a cent rounds up, not to the even cent"


def test_default_ephemeral_storage_is_free():
    result = monthly_cost(requests=5_000_000, duration_ms=Decimal(200), memory_mb=512)
    assert result.storage_usd == 0
    assert lines_named(result, "Ephemeral") == []


def test_breakdown_lines_add_up_to_the_total():
    result = monthly_cost(
        requests=6_000_000, duration_ms=Decimal(280), memory_mb=4096, ephemeral_mb=2048
    )
    assert sum(line.amount for line in result.lines) == result.total_exact_usd
    for line in result.lines:
        assert line.quantity * line.unit_price == line.amount, line.label


def test_pricing_result_serialises_to_json_with_decimals_as_text():
    result = monthly_cost(requests=3_000_000, duration_ms=Decimal(120), memory_mb=1536)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["total_usd"] == "2.73"
    assert data["total_exact_usd"] == "2.733338"
    assert data["requests_usd"] == "0.4"
    assert data["storage_usd"] == "0"
    assert data["free_tier_applied"] == {"requests": 1000000, "gb_seconds": "400000"}
    assert data["lines"][-1]["unit_price"] == "0.0000166667"


def test_prices_come_from_the_facts_file(tmp_path):
    text = (DEFAULT_PATH / "lambda.toml").read_text(encoding="utf-8")
    doubled = text.replace('value = "0.20"', 'value = "0.40"', 1)
    (tmp_path / "lambda.toml").write_text(doubled, encoding="utf-8")
    result = monthly_cost(
        requests=3_000_000,
        duration_ms=Decimal(120),
        memory_mb=1536,
        facts=load_facts(tmp_path),
    )
    assert result.requests_usd == Decimal("0.80"), "a price change in the facts file must apply"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requests": -1}, "requests must be between 0 and"),
        ({"requests": 10**14}, "requests must be between 0 and"),
        ({"requests": 1.5}, "requests must be a whole number"),
        ({"memory_mb": 0}, "memory_mb must be a whole number of MB from 128 MB to 10,240 MB"),
        ({"memory_mb": 127}, "memory_mb must be a whole number of MB"),
        ({"memory_mb": 10_241}, "memory_mb must be a whole number of MB"),
        ({"memory_mb": Decimal("1536.5")}, "memory_mb must be a whole number of MB"),
        ({"duration_ms": Decimal(0)}, "duration_ms must be more than 0"),
        ({"duration_ms": Decimal(-5)}, "duration_ms must be more than 0"),
        ({"duration_ms": Decimal(900_001)}, "longer than Lambda's maximum timeout of 900 seconds"),
        ({"duration_ms": "fast"}, "duration_ms must be a number"),
        ({"duration_ms": float("nan")}, "duration_ms must be a finite number"),
        ({"ephemeral_mb": 256}, "ephemeral_mb must be a whole number of MB from 512 MB"),
        ({"arch": "arm"}, "arch must be one of x86_64, arm64"),
        ({"requests": True}, "requests must be a number"),
        ({"requests": Decimal("1e30")}, "requests must be between 1e-24 and 1e24"),
        ({"duration_ms": "1e-999999"}, "duration_ms must be between 1e-24 and 1e24"),
    ],
)
def test_bad_pricing_input_raises_a_one_line_value_error(changes, message):
    arguments = {"requests": 1_000, "duration_ms": Decimal(100), "memory_mb": 128} | changes
    with pytest.raises(ValueError, match=message) as raised:
        monthly_cost(**arguments)
    assert "\n" not in str(raised.value)


def test_longest_allowed_duration_is_priced():
    result = monthly_cost(requests=1, duration_ms=Decimal(900_000), memory_mb=10_240)
    assert result.billed_duration_ms == 900_000
