from datetime import date
from decimal import Decimal

import pytest

from cards.calculators.facts import (
    DEFAULT_PATH,
    Fact,
    FactsError,
    format_fact,
    load_facts,
    resolve_fact_refs,
)

CHECKED = date(2026, 11, 23)

FACT = """
[timeout.max]
label = "Maximum function timeout"
value = 900
unit = "seconds"
adjustable = false
source = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
checked = 2026-11-23
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fact(value, unit, key="some.fact"):
    return Fact(key, "A fact", Decimal(value), unit, False, "https://aws.amazon.com/", CHECKED)


def test_every_fact_names_its_aws_source_and_the_day_it_was_checked():
    facts = load_facts()
    assert len(facts) > 30
    for item in facts:
        assert item.source.startswith("https://"), item.key
        assert "amazon.com" in item.source, f"{item.key} must come from AWS's own pages"
        assert CHECKED <= item.checked <= date.today(), f"{item.key}: checked since the audit"
        assert item.label and item.unit, item.key


@pytest.mark.parametrize(
    ("key", "value", "unit", "adjustable"),
    [
        ("memory.min", "128", "MB", False),
        ("memory.max", "10240", "MB", False),
        ("memory.step", "1", "MB", False),
        ("timeout.max", "900", "seconds", False),
        ("env_vars.max", "4", "KB", False),
        ("tmp.min", "512", "MB", False),
        ("tmp.max", "10240", "MB", False),
        ("package.zip.max", "50", "MB", False),
        ("package.unzipped.max", "250", "MB", False),
        ("image.max", "10", "GB", False),
        ("layers.max", "5", "layers", False),
        ("payload.sync.max", "6", "MB", False),
        ("payload.async.max", "1", "MB", False),
        ("concurrency.default", "1000", "executions", True),
        ("file_descriptors.max", "1024", "file descriptors", False),
        ("processes.max", "1024", "processes/threads", False),
        ("price.requests.per_million", "0.20", "USD per 1M requests", False),
        ("price.x86.gb_second.tier1", "0.0000166667", "USD per GB-second", False),
        ("price.x86.gb_second.tier2", "0.0000150000", "USD per GB-second", False),
        ("price.x86.gb_second.tier3", "0.0000133334", "USD per GB-second", False),
        ("price.arm.gb_second.tier1", "0.0000133334", "USD per GB-second", False),
        ("price.arm.gb_second.tier2", "0.0000120001", "USD per GB-second", False),
        ("price.arm.gb_second.tier3", "0.0000106667", "USD per GB-second", False),
        ("price.x86.tier1.up_to", "6000000000", "GB-seconds", False),
        ("price.x86.tier2.up_to", "15000000000", "GB-seconds", False),
        ("price.arm.tier1.up_to", "7500000000", "GB-seconds", False),
        ("price.arm.tier2.up_to", "18750000000", "GB-seconds", False),
        ("price.ephemeral.gb_second", "0.0000000309", "USD per GB-second", False),
        ("free.requests", "1000000", "requests", False),
        ("free.gb_seconds", "400000", "GB-seconds", False),
        # Added for issue 18, checked 2026-11-30.
        ("timeout.default", "3", "seconds", False),
        ("memory.default", "128", "MB", False),
        ("concurrency.unreserved_min", "100", "executions", False),
        ("async.max_event_age.max", "21600", "seconds", False),
        ("async.retries.max", "2", "retries", False),
        ("invoke.rate.per_concurrency", "10", "requests per second", False),
        ("network.bandwidth", "625", "Mbps", True),
        ("esm.batch_size.max", "10000", "records", False),
        ("esm.batching_window.max", "300", "seconds", False),
        ("esm.sqs.max_concurrency.min", "2", "executions", False),
        ("esm.sqs.max_concurrency.max", "1000", "executions", False),
        ("durable.operations.max", "3000", "operations", False),
        ("price.async.included", "256", "KB", False),
        ("price.async.chunk", "64", "KB", False),
        ("price.provisioned.x86.gb_second", "0.0000041667", "USD per GB-second", False),
        ("price.provisioned.x86.duration", "0.0000097222", "USD per GB-second", False),
        ("price.provisioned.granularity", "5", "minutes", False),
        ("price.snapstart.x86.cache", "0.0000015046", "USD per GB-second", False),
        ("price.snapstart.x86.restore", "0.0001397998", "USD per GB restored", False),
        ("price.snapstart.min_cache", "3", "hours", False),
        ("price.streaming.x86.gb", "0.008", "USD per GB", False),
        ("price.streaming.free_per_response", "6", "MB", False),
        ("free.streaming", "100", "GB", False),
        ("price.edge.requests", "0.60", "USD per 1M requests", False),
        ("price.edge.mb128_second", "0.00000625125", "USD per 128 MB-second", False),
    ],
)
def test_facts_file_holds_the_figures_aws_publishes(key, value, unit, adjustable):
    item = load_facts().get(key)
    assert item.value == Decimal(value)
    assert item.unit == unit
    assert item.adjustable is adjustable


def test_no_arm_price_is_given_where_aws_publishes_none_we_could_read():
    # Arm rates for these render client-side on the pricing page and appear in no AWS example.
    facts = load_facts()
    for feature in ("provisioned", "snapstart", "streaming", "tenant"):
        assert not [item.key for item in facts if item.key.startswith(f"price.{feature}.arm")]


def test_prices_keep_every_digit_as_decimals():
    price = load_facts().get("price.ephemeral.gb_second").value
    assert isinstance(price, Decimal)
    assert price == Decimal("0.0000000309"), "a float would have blurred the last digits"


def test_unknown_fact_raises_key_error_that_names_the_key():
    with pytest.raises(KeyError) as raised:
        load_facts().get("timeout.maximum")
    assert str(raised.value) == "no fact named 'timeout.maximum' in the facts files"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("900", "seconds", "900 seconds"),
        ("10240", "MB", "10,240 MB"),
        ("4", "KB", "4 KB"),
        ("0.20", "USD per 1M requests", "$0.20 per 1M requests"),
        ("0.2", "USD per 1M requests", "$0.20 per 1M requests"),
        ("0.0000000309", "USD per GB-second", "$0.0000000309 per GB-second"),
        ("0.0000150000", "USD per GB-second", "$0.000015 per GB-second"),
        ("6000000000", "GB-seconds", "6,000,000,000 GB-seconds"),
    ],
)
def test_format_fact_reads_the_way_a_person_says_it(value, unit, shown):
    assert format_fact(fact(value, unit)) == shown


def test_real_facts_format_for_notes():
    facts = load_facts()
    assert format_fact(facts.get("timeout.max")) == "900 seconds"
    assert format_fact(facts.get("memory.max")) == "10,240 MB"
    assert format_fact(facts.get("price.requests.per_million")) == "$0.20 per 1M requests"
    assert format_fact(facts.get("env_vars.max")) == "4 KB"


def test_fact_references_in_note_text_are_replaced():
    text, unknown = resolve_fact_refs(
        "Runs for at most {{fact:timeout.max}}, with up to {{ fact: memory.max }} of memory."
    )
    assert text == "Runs for at most 900 seconds, with up to 10,240 MB of memory."
    assert unknown == []


def test_unknown_fact_reference_stays_visible_and_is_reported_once():
    text, unknown = resolve_fact_refs("{{fact:timeout.mx}} and {{fact:timeout.mx}} {{fact:x}}")
    assert text == "{{fact:timeout.mx}} and {{fact:timeout.mx}} {{fact:x}}", (
        "a broken reference must not vanish from the note"
    )
    assert unknown == ["timeout.mx", "x"]


def test_fact_references_can_use_another_facts_file(tmp_path):
    facts = load_facts(write(tmp_path, "one.toml", FACT.replace("900", "600")))
    text, _ = resolve_fact_refs("{{fact:timeout.max}}", facts=facts)
    assert text == "600 seconds"


def test_default_facts_are_loaded_once_and_reused():
    assert load_facts() is load_facts(), "the default facts should come from the cache"
    assert load_facts() is load_facts(DEFAULT_PATH)


def test_an_edited_facts_file_is_read_again(tmp_path):
    path = write(tmp_path, "lambda.toml", FACT)
    assert load_facts(path).get("timeout.max").value == 900
    write(tmp_path, "lambda.toml", FACT.replace("value = 900", "value = 1200"))
    assert load_facts(path).get("timeout.max").value == 1200, "a stale cache hid the edit"


def test_every_toml_file_in_a_folder_is_read(tmp_path):
    write(tmp_path, "a.toml", FACT)
    write(tmp_path, "b.toml", FACT.replace("[timeout.max]", "[timeout.default]"))
    assert {item.key for item in load_facts(tmp_path)} == {"timeout.max", "timeout.default"}


def test_the_same_fact_in_two_files_is_refused(tmp_path):
    write(tmp_path, "a.toml", FACT)
    write(tmp_path, "b.toml", FACT)
    with pytest.raises(FactsError, match=r"b\.toml: fact 'timeout.max' is already defined in"):
        load_facts(tmp_path)


def test_a_float_value_is_refused_because_it_loses_digits(tmp_path):
    path = write(tmp_path, "x.toml", FACT.replace("value = 900", "value = 0.0000166667"))
    with pytest.raises(FactsError, match=r"x\.toml: fact 'timeout.max': value must be"):
        load_facts(path)


def test_a_fact_without_its_source_is_refused(tmp_path):
    text = "\n".join(line for line in FACT.splitlines() if not line.startswith("source"))
    with pytest.raises(FactsError, match="lacks source"):
        load_facts(write(tmp_path, "x.toml", text))


def test_a_misspelt_field_is_refused(tmp_path):
    path = write(tmp_path, "x.toml", FACT.replace("adjustable", "adjustible"))
    with pytest.raises(FactsError, match="unknown fields adjustible"):
        load_facts(path)


def test_a_checked_date_must_be_a_date(tmp_path):
    path = write(tmp_path, "x.toml", FACT.replace("checked = 2026-11-23", 'checked = "today"'))
    with pytest.raises(FactsError, match="checked must be a date"):
        load_facts(path)


def test_broken_toml_is_reported_with_its_file(tmp_path):
    with pytest.raises(FactsError, match=r"x\.toml"):
        load_facts(write(tmp_path, "x.toml", "[timeout.max\nvalue = 900"))


def test_a_folder_with_no_facts_files_is_an_error(tmp_path):
    with pytest.raises(FactsError, match="no .toml facts files"):
        load_facts(tmp_path)
