import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from cards.calculators.facts import DEFAULT_PATH, load_facts
from cards.calculators.pricing import PARTS, monthly_cost

# AWS's worked examples, from https://aws.amazon.com/lambda/pricing/ (read 2026-11-23; the examples
# for provisioned concurrency, SnapStart, streaming, Lambda@Edge, durable functions, tenant
# isolation, Managed Instances and provisioned event pollers read 2026-11-30), all in US East
# (N. Virginia). Each test writes the example's inputs and the totals AWS states; where AWS's own
# arithmetic differs from the exact bill, the test says by how much and why. The page's Lambda
# MicroVMs examples price another product (per vCPU- and GB-second of a MicroVM) and are not here.

BILLION = 1_000_000_000
CENT = Decimal("0.01")


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


def cents_of_each_part(result):
    """The total as AWS's examples add it up: each charge rounded to the cent first."""
    return sum(result.part(name).quantize(CENT, rounding=ROUND_HALF_UP) for name in PARTS)


def test_aws_example_provisioned_concurrency_mobile_application_launch():
    # 3M requests a month, 1536 MB on x86. Provisioned concurrency of 100 from noon to 8 p.m.
    # serves 500,000 requests at 100 ms; the other 2.5M run on demand at 120 ms. AWS: $18 +
    # $0.40 + $0.73 + $0.83 = $19.96. AWS deducts the free requests from all 3M and the free
    # GB-seconds from the on-demand duration, although the page says the free tier "does not
    # apply to functions enabling Provisioned Concurrency"; we follow the example.
    result = monthly_cost(
        requests=3_000_000,
        duration_ms=Decimal(120),
        memory_mb=1536,
        provisioned_concurrency=100,
        provisioned_hours=8,
        provisioned_requests=500_000,
        provisioned_duration_ms=Decimal(100),
    )
    assert result.provisioned_gb_seconds == 4_320_000
    assert result.part("provisioned").quantize(CENT) == Decimal("18.00")
    [with_pc] = lines_named(result, "Compute with provisioned concurrency")
    assert with_pc.quantity == 75_000
    assert with_pc.amount.quantize(CENT) == Decimal("0.73")
    assert result.gb_seconds == 450_000, "only the on-demand duration meets the free tier"
    assert result.free_tier_applied == {"requests": 1_000_000, "gb_seconds": 400_000}
    assert (result.compute_usd - with_pc.amount).quantize(CENT) == Decimal("0.83")
    assert result.requests_usd == Decimal("0.40")
    assert result.total_usd == Decimal("19.96")


def test_aws_example_provisioned_concurrency_cyber_monday():
    # 2M requests during the 24 hours of a sale, all on provisioned concurrency of 7, 280 ms at
    # 4096 MB on x86; the example deducts no free tier: $10.08 + $21.78 + $0.40 = $32.26.
    result = monthly_cost(
        requests=2_000_000,
        duration_ms=Decimal(280),
        memory_mb=4096,
        free_tier=False,
        provisioned_concurrency=7,
        provisioned_hours=24,
        provisioned_requests=2_000_000,
    )
    assert result.provisioned_gb_seconds == 2_419_200
    assert result.part("provisioned").quantize(CENT) == Decimal("10.08")
    assert result.compute_usd.quantize(CENT) == Decimal("21.78")
    assert result.requests_usd == Decimal("0.40")
    assert result.total_usd == Decimal("32.26")


def test_aws_example_snapstart_enriching_streaming_telemetry():
    # The telemetry example with SnapStart: 7.44M requests of 2 s at 1 GB on x86, one version
    # active all of a 31-day month, 1% of requests (74,400) restored from the snapshot; no free
    # tier: $1.49 + $248.00 + $4.03 + $10.4 = $263.92.
    result = monthly_cost(
        requests=7_440_000,
        duration_ms=Decimal(2000),
        memory_mb=1024,
        free_tier=False,
        snapstart_versions=1,
        snapstart_hours=24 * 31,
        snapstart_restores=74_400,
    )
    [cache] = lines_named(result, "SnapStart cache")
    [restore] = lines_named(result, "SnapStart restores")
    assert cache.quantity == 2_678_400
    assert cache.amount.quantize(CENT) == Decimal("4.03")
    assert restore.quantity == 74_400
    assert restore.amount.quantize(CENT) == Decimal("10.40")
    assert result.part("snapstart").quantize(CENT) == Decimal("14.43")
    assert result.total_usd == Decimal("263.92")


def test_aws_example_response_streaming_differs_by_aws_rounding_each_line_first():
    # 3M requests of 500 ms at 1536 MB on x86, free tier applied; the last 1M responses are 7 MB,
    # the rest 100 KB (free: under 6 MB). The example assumes the 100 GB streaming free tier is
    # used up. AWS: $30.83 + $0.40 + $7.81 = $39.04, rounding each line to the cent before adding.
    # The exact bill is $39.045895, which rounds to $39.05: one cent of AWS's rounding.
    result = monthly_cost(
        requests=3_000_000,
        duration_ms=Decimal(500),
        memory_mb=1536,
        streamed_requests=1_000_000,
        streamed_mb=7,
        streaming_free_tier=False,
    )
    assert result.compute_usd.quantize(CENT) == Decimal("30.83")
    assert result.requests_usd == Decimal("0.40")
    assert result.streamed_gb == Decimal("976.5625"), "1M x (7 MB - 6 MB) / 1,024"
    assert result.part("streaming") == Decimal("7.8125")
    assert result.total_exact_usd == Decimal("39.045895")
    assert result.total_usd == Decimal("39.05")
    assert cents_of_each_part(result) == Decimal("39.04"), "AWS's figure, lines rounded first"


def test_aws_example_lambda_at_edge():
    # 10M executions of 10 ms; the price is per 128 MB-second and there is no free tier:
    # compute $0.63 + requests $6.00 = $6.63.
    result = monthly_cost(
        requests=10_000_000, duration_ms=Decimal(10), memory_mb=128, compute="edge"
    )
    assert result.requests_usd == Decimal("6.00")
    assert result.compute_usd == Decimal("0.625125")
    assert result.free_tier_applied == {"requests": 0, "gb_seconds": 0}
    assert result.total_usd == Decimal("6.63")


def test_aws_example_durable_functions_insurance_claims():
    # 1,000,000 executions, each two invocations (before and after a 7-day wait), 32 s of compute
    # in all at 1 GB on Arm; 4 durable operations each; 104 GB written (AWS takes 1 GB as
    # 1,000,000 KB here: 1M x 104 KB); kept 7 days running and 14 days after, as 104 GB x 21/30 =
    # 72.8 GB-months. AWS: $421.34 + $0.20 + $32.00 + $26.00 + $10.92 = $490.46.
    result = monthly_cost(
        requests=2_000_000,
        duration_ms=Decimal(16_000),
        memory_mb=1024,
        arch="arm64",
        durable_operations=4_000_000,
        durable_written_gb=104,
        durable_retained_gb_months=Decimal(104) * 21 / 30,
    )
    assert result.gb_seconds == 32_000_000
    assert result.compute_usd.quantize(CENT) == Decimal("421.34")
    assert result.requests_usd == Decimal("0.20")
    assert [line.amount for line in lines_named(result, "Durable")] == [
        Decimal("32.00"),
        Decimal("26.00"),
        Decimal("10.92"),
    ]
    assert result.total_usd == Decimal("490.46")


def test_aws_example_tenant_isolation_differs_by_a_cent_in_aws_arithmetic():
    # 10M invokes of 2 s at 1024 MB on x86, 1,000 tenants with 200 new environments each; no
    # free tier. AWS: $2 + $333.34 + $33.4 = $368.74. But 20M GB-s x $0.0000166667 is $333.334,
    # which is $333.33 to the cent, so the bill is $368.73: AWS's compute line is a cent high.
    result = monthly_cost(
        requests=10_000_000,
        duration_ms=Decimal(2000),
        memory_mb=1024,
        free_tier=False,
        tenant_environments=200_000,
    )
    assert result.requests_usd == Decimal("2.00")
    assert result.compute_usd == Decimal("333.334")
    assert result.part("tenant_isolation") == Decimal("33.4")
    assert result.total_usd == Decimal("368.73")
    assert cents_of_each_part(result) == Decimal("368.73"), "not AWS's $368.74, either way"


def test_aws_example_managed_instances_high_throughput_api():
    # 100M requests on m7g.xlarge instances: about 2,000 instance-hours at $0.0457 an hour with a
    # 3-year Compute Savings Plan ($0.1632 on demand); no duration charge, no free tier in the
    # example: $20 + $91.40 + $48.96 = $160.36.
    result = monthly_cost(
        requests=100_000_000,
        duration_ms=Decimal(200),
        memory_mb=2048,
        arch="arm64",
        free_tier=False,
        compute="managed-instances",
        instance_hours=2000,
        instance_hourly_usd=Decimal("0.0457"),
        instance_on_demand_hourly_usd=Decimal("0.1632"),
    )
    assert result.requests_usd == Decimal("20.00")
    assert result.compute_usd == 0, "Managed Instances bill no duration"
    assert [line.amount for line in result.lines if line.part == "instances"] == [
        Decimal("91.40"),
        Decimal("48.96"),
    ]
    assert result.total_usd == Decimal("160.36")


def test_aws_example_provisioned_mode_sqs_event_source_mapping():
    # 1M invocations a day for 30 days, 1 s at 1024 MB on x86, 8,000 EPU-hours of SQS event
    # pollers at $0.00925; no free tier: $500 + $6 + $74 = $580.
    result = monthly_cost(
        requests=30_000_000,
        duration_ms=Decimal(1000),
        memory_mb=1024,
        free_tier=False,
        event_poller_hours=8000,
        event_poller="sqs",
    )
    assert result.part("event_pollers") == Decimal("74.00")
    assert result.total_usd == Decimal("580.00")


def test_aws_example_ten_kafka_event_source_mappings_in_one_poller_group():
    # 10 ESMs, each 1M invocations a day for 30 days of 0.2 s at 1024 MB on x86, sharing one EPU
    # for 720 hours at $0.185; no free tier: $1,000 + $60 + $133.2 = $1,193.2.
    result = monthly_cost(
        requests=300_000_000,
        duration_ms=Decimal(200),
        memory_mb=1024,
        free_tier=False,
        event_poller_hours=720,
    )
    assert result.compute_usd.quantize(CENT) == Decimal("1000.00")
    assert result.requests_usd == Decimal("60.00")
    assert result.part("event_pollers") == Decimal("133.20")
    assert result.total_usd == Decimal("1193.20")


def test_aws_example_kafka_event_source_mapping_counts_requests_twice_in_aws_arithmetic():
    # AWS: 1M invocations a day for 30 days of 2 s at 1024 MB, compute after the free tier
    # 59.6M GB-s = "$993.3", "60M requests * $0.20 = $12.00", 800 EPU-hours x $0.185 = $148,
    # total "$1,153.3". 30M invocations are 30M requests, and the free tier AWS deducted from
    # compute also covers a million requests: the bill is $993.34 + $5.80 + $148 = $1,147.14.
    # The example cannot be reproduced from its own workload; its compute and EPU lines can.
    result = monthly_cost(
        requests=30_000_000, duration_ms=Decimal(2000), memory_mb=1024, event_poller_hours=800
    )
    assert result.compute_usd.quantize(CENT) == Decimal("993.34"), "AWS shows $993.3"
    assert result.part("event_pollers") == Decimal("148.00")
    assert result.requests_usd == Decimal("5.80")
    assert result.total_usd == Decimal("1147.14")
    aws_request_line = Decimal("12.00")
    assert (result.total_exact_usd - result.requests_usd + aws_request_line).quantize(
        Decimal("0.1")
    ) == Decimal("1153.3"), "with AWS's request line, AWS's total"


def test_our_example_asynchronous_events_over_256_kb():
    # Our own example (AWS's page gives the rule but no worked example): 2M S3 events of 512 KB
    # each are 2M requests plus 4 more each for the 256 KB beyond the first 256 KB: 10M requests,
    # 9M after the free tier, $1.80.
    result = monthly_cost(
        requests=2_000_000, duration_ms=Decimal(100), memory_mb=128, async_event_kb=512
    )
    assert result.extra_requests == 8_000_000
    assert result.requests_usd == Decimal("1.80")
    [extra] = lines_named(result, "Requests for asynchronous events over 256 KB")
    assert extra.quantity == 8_000_000


@pytest.mark.parametrize(
    ("event_kb", "extra_each"),
    [(0, 0), (256, 0), (257, 1), (320, 1), (321, 2), (600, 6), (1024, 12)],
)
def test_each_started_64_kb_beyond_256_kb_is_one_more_request(event_kb, extra_each):
    # A part of 64 KB counting as a whole is our reading of "1 additional request for each 64 KB
    # of chunk"; AWS gives no example of it.
    result = monthly_cost(
        requests=1000, duration_ms=Decimal(100), memory_mb=128, async_event_kb=event_kb
    )
    assert result.extra_requests == 1000 * extra_each


def test_provisioned_concurrency_is_billed_in_whole_five_minute_steps():
    def configured(hours):
        return monthly_cost(
            requests=0,
            duration_ms=Decimal(100),
            memory_mb=1024,
            free_tier=False,
            provisioned_concurrency=1,
            provisioned_hours=hours,
        ).provisioned_gb_seconds

    assert configured(Decimal(1) / 60) == 300, "one minute is billed as five"
    assert configured(Decimal(5) / 60) == 300
    assert configured(Decimal(6) / 60) == 600
    assert configured(1) == 3600


def test_the_free_tier_never_covers_provisioned_concurrency_itself():
    result = monthly_cost(
        requests=10,
        duration_ms=Decimal(100),
        memory_mb=1024,
        provisioned_concurrency=1,
        provisioned_hours=1,
        provisioned_requests=10,
    )
    assert result.requests_usd == 0, "the free million requests still apply"
    assert result.part("provisioned") == 3600 * Decimal("0.0000041667")
    assert result.total_exact_usd > 0


def test_snapstart_cache_is_billed_for_at_least_three_hours_a_version():
    result = monthly_cost(
        requests=0,
        duration_ms=Decimal(100),
        memory_mb=2048,
        snapstart_versions=2,
        snapstart_hours=1,
    )
    [cache] = lines_named(result, "SnapStart cache")
    assert cache.quantity == 2 * 2 * 3 * 3600, "two versions, 2 GB, three hours each"


def test_streaming_free_tier_covers_the_first_100_gb_beyond_6_mb_a_response():
    def streaming(**free):
        return monthly_cost(
            requests=1_000_000,
            duration_ms=Decimal(100),
            memory_mb=128,
            streamed_requests=1_000_000,
            streamed_mb=7,
            **free,
        )

    assert streaming().free_streaming_gb == 100
    assert streaming().part("streaming") == (Decimal("976.5625") - 100) * Decimal("0.008")
    assert streaming(free_tier=False).free_streaming_gb == 0, "follows the free tier by default"
    small = monthly_cost(
        requests=10, duration_ms=Decimal(100), memory_mb=128, streamed_requests=10, streamed_mb=6
    )
    assert small.part("streaming") == 0 and small.lines[-1].label.startswith("Compute")


@pytest.mark.parametrize(
    ("feature", "arguments"),
    [
        (
            "provisioned concurrency",
            {"provisioned_concurrency": 1, "provisioned_hours": 1},
        ),
        ("SnapStart", {"snapstart_versions": 1, "snapstart_hours": 1}),
        ("response streaming", {"streamed_requests": 1, "streamed_mb": 7}),
        ("tenant isolation", {"tenant_environments": 1}),
    ],
)
def test_arm_prices_aws_does_not_publish_where_we_could_read_them_are_refused(feature, arguments):
    workload = {"requests": 1, "duration_ms": Decimal(100), "memory_mb": 128, "free_tier": False}
    assert monthly_cost(**workload, **arguments).total_exact_usd > 0, "x86 is priced"
    with pytest.raises(ValueError, match=f"no Arm price for {feature}") as raised:
        monthly_cost(**workload, **arguments, arch="arm64")
    assert "\n" not in str(raised.value)


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


def test_json_keeps_every_old_field_and_adds_one_per_optional_charge():
    result = monthly_cost(
        requests=2_000_000,
        duration_ms=Decimal(280),
        memory_mb=4096,
        free_tier=False,
        provisioned_concurrency=7,
        provisioned_hours=24,
        provisioned_requests=2_000_000,
    )
    data = json.loads(json.dumps(result.to_dict()))
    old = {"total_usd", "total_exact_usd", "requests_usd", "compute_usd", "storage_usd"}
    old |= {"gb_seconds", "storage_gb_seconds", "billed_duration_ms", "free_tier_applied"}
    assert old | {"arch", "lines"} <= set(data)
    assert data["provisioned_usd"] == "10.08008064"
    assert data["snapstart_usd"] == "0" and data["streaming_usd"] == "0"
    assert data["compute_type"] == "on-demand"
    assert data["provisioned_gb_seconds"] == "2419200"
    assert data["total_usd"] == "32.26"


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
        ({"compute": "lambda"}, "compute must be one of on-demand, edge, managed-instances"),
        ({"provisioned_concurrency": 1}, "provisioned_hours must be more than 0"),
        ({"provisioned_requests": 5}, "provisioned_concurrency must be set"),
        (
            {"provisioned_concurrency": 1, "provisioned_hours": 1, "provisioned_requests": 2000},
            r"provisioned_requests \(2,000\) cannot be more than requests \(1,000\)",
        ),
        ({"provisioned_concurrency": 1, "provisioned_hours": 745}, "at most 744 \\(31 days\\)"),
        (
            {"provisioned_concurrency": 1, "provisioned_hours": 1, "provisioned_duration_ms": 0},
            "provisioned_duration_ms must be more than 0",
        ),
        (
            {
                "provisioned_concurrency": 1,
                "provisioned_hours": 1,
                "snapstart_versions": 1,
                "snapstart_hours": 1,
            },
            "SnapStart does not support provisioned concurrency",
        ),
        ({"snapstart_restores": 10}, "snapstart_versions must be set"),
        ({"async_event_kb": 1025}, "async_event_kb must be at most 1,024"),
        ({"streamed_requests": 1, "streamed_mb": 201}, "streamed_mb must be at most 200"),
        ({"streamed_requests": 1001}, "streamed_requests \\(1,001\\) cannot be more"),
        ({"event_poller": "kinesis"}, "event_poller must be one of kafka, sqs"),
        ({"durable_written_gb": -1}, "durable_written_gb must be 0 or more"),
        ({"instance_hours": 10}, "instance_hours needs compute=managed-instances"),
        (
            {"compute": "managed-instances", "instance_hours": 10},
            "instance_on_demand_hourly_usd is needed",
        ),
        (
            {"compute": "edge", "provisioned_concurrency": 1, "provisioned_hours": 1},
            "no provisioned concurrency for Lambda@Edge",
        ),
        ({"compute": "edge", "ephemeral_mb": 1024}, "no ephemeral storage for Lambda@Edge"),
        (
            {"compute": "managed-instances", "ephemeral_mb": 1024},
            "no ephemeral storage for Lambda Managed Instances",
        ),
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
