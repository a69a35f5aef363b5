"""The limits calculator: settings over, under or near each of Lambda's limits."""

import json
from decimal import Decimal

import pytest

from cards.calculators.limits import check_limits

MAXIMA = [
    ("memory_mb", 10_240, "memory.max"),
    ("timeout_s", 900, "timeout.max"),
    ("env_bytes", 4096, "env_vars.max"),
    ("zip_mb", 50, "package.zip.max"),
    ("unzipped_mb", 250, "package.unzipped.max"),
    ("layers", 5, "layers.max"),
    ("tmp_mb", 10_240, "tmp.max"),
    ("sync_payload_kb", 6144, "payload.sync.max"),
]


@pytest.mark.parametrize(("field", "maximum", "key"), MAXIMA)
def test_a_setting_exactly_at_its_maximum_is_allowed(field, maximum, key):
    result = check_limits(**{field: maximum})
    assert result.ok, f"{field}={maximum} is exactly at the limit and must pass"
    assert result.violations == []
    assert result.checked == [field]


@pytest.mark.parametrize(("field", "maximum", "key"), MAXIMA)
def test_one_past_a_maximum_is_a_violation_citing_the_limit(field, maximum, key):
    result = check_limits(**{field: maximum + 1})
    assert not result.ok
    (violation,) = result.violations
    assert violation.field == field
    assert violation.name == key
    assert violation.value == maximum + 1
    assert violation.maximum == maximum
    assert violation.source.startswith("https://docs.aws.amazon.com/lambda/")
    assert violation.adjustable is False
    assert violation.hint


@pytest.mark.parametrize(
    ("field", "minimum", "key"), [("memory_mb", 128, "memory.min"), ("tmp_mb", 512, "tmp.min")]
)
def test_settings_below_their_minimum_are_violations(field, minimum, key):
    assert check_limits(**{field: minimum}).ok
    result = check_limits(**{field: minimum - 1})
    (violation,) = result.violations
    assert violation.name == key
    assert violation.minimum == minimum
    assert violation.hint == f"set at least {minimum} MB"


def test_memory_between_whole_megabytes_is_a_violation():
    result = check_limits(memory_mb=Decimal("1536.5"))
    (violation,) = result.violations
    assert violation.name == "memory.step"
    assert "1 MB steps" in violation.message


def test_sync_payload_limit_is_compared_in_kilobytes():
    (violation,) = check_limits(sync_payload_kb=6145).violations
    assert violation.message == (
        "Synchronous payload 6,145 KB is over the maximum of 6 MB (6,144 KB)"
    )


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("unzipped_mb", 251, "use a container image (up to 10 GB)"),
        ("zip_mb", 51, "or use a container image (up to 10 GB)"),
        ("layers", 6, "use a container image (up to 10 GB)"),
        ("timeout_s", 901, "Step Functions"),
        ("env_bytes", 4097, "Parameter Store or Secrets Manager"),
    ],
)
def test_violations_suggest_what_to_do_instead(field, value, hint):
    (violation,) = check_limits(**{field: value}).violations
    assert hint in violation.hint


def test_settings_within_ten_percent_of_a_maximum_warn_but_pass():
    result = check_limits(timeout_s=810, memory_mb=9000)
    assert result.ok
    assert [warning.field for warning in result.warnings] == ["timeout_s"]
    assert result.warnings[0].message == (
        "Timeout 810 seconds is within 10% of the maximum of 900 seconds"
    )
    assert check_limits(timeout_s=809).warnings == []


def test_nothing_to_check_is_ok():
    result = check_limits()
    assert result.ok
    assert result.violations == result.warnings == result.checked == []


def test_several_violations_are_all_reported():
    result = check_limits(memory_mb=20_000, timeout_s=1800, layers=7, env_bytes=100)
    assert [violation.field for violation in result.violations] == [
        "memory_mb",
        "timeout_s",
        "layers",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"memory_mb": 0}, "memory_mb must be more than 0"),
        ({"memory_mb": -128}, "memory_mb must be more than 0"),
        ({"timeout_s": 0}, "timeout_s must be more than 0"),
        ({"layers": -1}, "layers must be 0 or more"),
        ({"env_bytes": "lots"}, "env_bytes must be a number"),
        ({"timeout_s": 900_001}, "over 1,000 times Lambda's limit of 900 seconds; check the unit"),
        ({"zip_mb": float("inf")}, "zip_mb must be a finite number"),
    ],
)
def test_bad_limits_input_raises_a_one_line_value_error(arguments, message):
    with pytest.raises(ValueError, match=message) as raised:
        check_limits(**arguments)
    assert "\n" not in str(raised.value)


def test_limits_result_serialises_to_json():
    data = json.loads(json.dumps(check_limits(memory_mb=10_241, timeout_s=850).to_dict()))
    assert data["ok"] is False
    assert data["violations"][0]["name"] == "memory.max"
    assert data["violations"][0]["value"] == "10241"
    assert data["violations"][0]["maximum"] == "10240"
    assert data["violations"][0]["source"].startswith("https://")
    assert data["warnings"][0]["field"] == "timeout_s"
