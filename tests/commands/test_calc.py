"""`manage.py calc pricing` and `manage.py calc limits`, as a person at a shell would use them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

WORKED_EXAMPLE = ["--requests", "5000000", "--duration-ms", "200", "--memory-mb", "512"]


def calc(*args) -> str:
    out = StringIO()
    call_command("calc", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_pricing_json_has_the_total_and_its_parts():
    result = json.loads(calc("pricing", *WORKED_EXAMPLE, "--json"))
    assert result["total_usd"] == "2.47", "the worked example in the pricing note"
    assert result["requests_usd"] == "0.8"
    assert result["compute_usd"] == "1.66667"
    assert result["storage_usd"] == "0"
    assert result["free_tier_applied"] == {"requests": 1000000, "gb_seconds": "400000"}


def test_pricing_options_change_the_bill():
    result = json.loads(
        calc(
            "pricing",
            *WORKED_EXAMPLE,
            "--arch",
            "arm64",
            "--ephemeral-mb",
            "2048",
            "--no-free-tier",
            "--json",
        )
    )
    assert result["arch"] == "arm64"
    assert result["free_tier_applied"] == {"requests": 0, "gb_seconds": "0"}
    assert result["storage_usd"] != "0", "storage above 512 MB is billed"
    assert result["total_usd"] == "7.71"


def test_pricing_text_is_an_aligned_table_with_the_total_and_source():
    lines = calc("pricing", *WORKED_EXAMPLE).splitlines()
    assert lines[0].split() == ["Item", "Quantity", "Unit", "price", "Amount"]
    total = next(line for line in lines if line.startswith("Total a month"))
    assert total.endswith("$2.47")
    amounts = [line for line in lines if line.rstrip().endswith(("$0.80", "$1.67"))]
    assert len(amounts) == 2 and len({len(line) for line in amounts + [total]}) == 1, (
        "amounts are right-aligned in one column"
    )
    assert lines[-1] == "Prices from https://aws.amazon.com/lambda/pricing/, checked 2026-11-23"


def test_pricing_takes_the_optional_charges_aws_works_examples_for():
    # AWS's SnapStart example: $263.92.
    result = json.loads(
        calc(
            "pricing",
            *["--requests", "7440000", "--duration-ms", "2000", "--memory-mb", "1024"],
            *["--no-free-tier", "--snapstart-versions", "1", "--snapstart-hours", "744"],
            *["--snapstart-restores", "74400", "--json"],
        )
    )
    assert result["total_usd"] == "263.92"
    assert result["snapstart_usd"] == "14.43102576"
    # AWS's Lambda@Edge example: $6.63.
    edge = ["--requests", "10000000", "--duration-ms", "10", "--memory-mb", "128"]
    result = json.loads(calc("pricing", *edge, "--compute", "edge", "--json"))
    assert result["total_usd"] == "6.63" and result["compute_type"] == "edge"
    # AWS's streaming example, its 100 GB free tier used up: $39.05 exactly ($39.04 on AWS's page).
    stream = ["--requests", "3000000", "--duration-ms", "500", "--memory-mb", "1536"]
    stream += ["--streamed-requests", "1000000", "--streamed-mb", "7", "--no-streaming-free-tier"]
    assert json.loads(calc("pricing", *stream, "--json"))["streaming_usd"] == "7.8125"
    # AWS's SQS provisioned-mode event source mapping example: $580.
    sqs = ["--requests", "30000000", "--duration-ms", "1000", "--memory-mb", "1024"]
    sqs += ["--no-free-tier", "--event-poller-hours", "8000", "--event-poller", "sqs", "--json"]
    assert json.loads(calc("pricing", *sqs))["total_usd"] == "580"


def test_pricing_text_cites_each_date_its_prices_were_checked():
    lines = calc(
        "pricing",
        *WORKED_EXAMPLE,
        *["--provisioned-concurrency", "2", "--provisioned-hours", "1"],
    ).splitlines()
    assert any(line.startswith("Provisioned concurrency (x86_64), 2 x 512 MB") for line in lines)
    assert lines[-2:] == [
        "Prices from https://aws.amazon.com/lambda/pricing/, checked 2026-11-23",
        "Prices from https://aws.amazon.com/lambda/pricing/, checked 2026-11-30",
    ]


@pytest.mark.parametrize(
    "args, reason",
    [
        (["--requests", "-5", "--duration-ms", "200", "--memory-mb", "512"], "requests must be"),
        ([*WORKED_EXAMPLE, "--compute", "fargate"], "compute must be one of"),
        (
            [*WORKED_EXAMPLE, "--arch", "arm64", "--streamed-requests", "5", "--streamed-mb", "9"],
            "no Arm price for response streaming",
        ),
        ([*WORKED_EXAMPLE, "--provisioned-concurrency", "3"], "provisioned_hours must be"),
        (["--requests", "many", "--duration-ms", "200", "--memory-mb", "512"], "requests must"),
        (["--requests", "5", "--duration-ms", "200", "--memory-mb", "999999"], "memory_mb must"),
        ([*WORKED_EXAMPLE, "--arch", "sparc"], "arch must be one of x86_64, arm64"),
        (["--requests", "5", "--duration-ms", "1000000", "--memory-mb", "512"], "timeout"),
    ],
)
def test_bad_pricing_input_fails_with_a_one_line_reason(args, reason):
    with pytest.raises(CommandError) as error:
        calc("pricing", *args)
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


def test_limits_json_lists_each_violation_with_its_limit_and_source():
    result = json.loads(calc("limits", "--memory-mb", "20000", "--layers", "3", "--json"))
    assert result["ok"] is False
    [violation] = result["violations"]
    assert violation["name"] == "memory.max"
    assert violation["value"] == "20000" and violation["maximum"] == "10240"
    assert violation["adjustable"] is False
    assert (
        violation["source"]
        == "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
    )
    assert result["checked"] == ["memory_mb", "layers"]


def test_limits_within_bounds_say_so():
    assert json.loads(calc("limits", "--timeout-s", "30", "--json"))["ok"] is True
    text = calc("limits", "--memory-mb", "2048", "--tmp-mb", "1024")
    assert text.strip() == "All within Lambda's limits (checked memory_mb, tmp_mb)."


def test_limits_text_tables_violations_and_warnings_with_hints():
    text = calc("limits", "--sync-payload-kb", "7000", "--timeout-s", "880", "--tmp-mb", "100")
    lines = text.splitlines()
    assert lines[0].split() == ["Limit", "Value", "Limit", "value", "Adjustable", "Status"]
    assert any(line.startswith("payload.sync.max") and line.endswith("OVER") for line in lines)
    assert any(line.startswith("tmp.min") and line.endswith("UNDER") for line in lines)
    assert any(line.startswith("timeout.max") and line.endswith("near") for line in lines)
    assert "put the data in Amazon S3" in text
    assert "All within" not in text


@pytest.mark.parametrize(
    "args, reason",
    [
        ([], "give at least one setting"),
        (["--memory-mb", "lots"], "memory_mb must be a number"),
        (["--env-bytes", "-1"], "env_bytes must be 0 or more"),
    ],
)
def test_bad_limits_input_fails_with_a_one_line_reason(args, reason):
    with pytest.raises(CommandError) as error:
        calc("limits", *args)
    assert reason in str(error.value)
    assert "\n" not in str(error.value)
