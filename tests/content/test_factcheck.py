from pathlib import Path

import pytest

from cards.calculators.facts import DEFAULT_PATH, load_facts
from cards.content import factcheck
from cards.content.source import read_source
from cards.content.tree import parse_note

DECK = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"


def check_facts(body, *, first_line=1, facts=None):
    """The fact check's warnings for a note body."""
    return factcheck.check_facts(parse_note(body, first_line=first_line), facts=facts)


# (a claim as a student would write it, the same claim with a wrong figure, the fact key)
CLAIMS = [
    ("- Timeout: at most 900 seconds.", "- Timeout: at most 600 seconds.", "timeout.max"),
    ("The maximum timeout is 15 minutes.", "The maximum timeout is 10 minutes.", "timeout.max"),
    ("Memory: from 128 MB to 10,240 MB.", "Memory: from 128 MB to 3,008 MB.", "memory.max"),
    ("Memory can be set up to 10 GB.", "Memory can be set up to 3 GB.", "memory.max"),
    ("Ephemeral storage goes up to 10,240 MB.", "Ephemeral storage goes up to 512 GB.", "tmp.max"),
    ("A function can use at most 5 layers.", "A function can use at most 6 layers.", "layers.max"),
    (
        "- Environment variables: 4 KB in total.",
        "- Environment variables: 8 KB in total.",
        "env_vars",
    ),
    (
        "- Zipped package uploaded directly: 50 MB.",
        "- Zipped package uploaded directly: 75 MB.",
        "zip",
    ),
    ("- Unzipped package with layers: 250 MB.", "- Unzipped package with layers: 256 MB.", "unzip"),
    ("- Container image: up to 10 GB.", "- Container image: up to 12 GB.", "image.max"),
    (
        "- Concurrent executions per Region: 1,000 by default.",
        "- Concurrent executions per Region: 1,500 by default.",
        "concurrency.default",
    ),
    ("Requests cost $0.20 per 1M requests.", "Requests cost $0.02 per 1M requests.", "requests"),
    (
        "x86 duration: $0.0000166667 per GB-second.",
        "x86 duration: $0.000166667 per GB-second.",
        "x86",
    ),
    (
        "Arm duration: $0.0000133334 per GB-second.",
        "Arm duration: $0.0000166667 per GB-second.",
        "arm",
    ),
    (
        "That is $1 for 60,000 GB-seconds on x86.",
        "That is $1 for 600,000 GB-seconds on x86.",
        "x86",
    ),
    (
        "The free tier covers 1 million requests.",
        "The free tier covers 2 million requests.",
        "free",
    ),
    (
        "The free tier gives 400,000 GB-seconds.",
        "The free tier gives 40,000 GB-seconds.",
        "free.gb",
    ),
    (
        "Duration is rounded up to the nearest 1 ms.",
        "Duration is rounded up to the nearest 100 ms.",
        "gran",
    ),
    # Claims added for issue 18.
    ("- Timeout: 3 seconds by default.", "- Timeout: 6 seconds by default.", "timeout.default"),
    ("The default timeout is 3 seconds.", "The default timeout is 30 seconds.", "timeout.default"),
    ("The default memory is 128 MB.", "The default memory is 512 MB.", "memory.default"),
    (
        "AWS keeps at least 100 executions unreserved.",
        "AWS keeps at least 50 executions unreserved.",
        "unreserved",
    ),
    (
        "- Maximum event age: up to 6 hours.",
        "- Maximum event age: up to 12 hours.",
        "async.max_event_age",
    ),
    (
        "Events wait in the queue for up to 6 hours.",
        "Events wait in the queue for up to 24 hours.",
        "async.max_event_age",
    ),
    (
        "The batching window can be at most 300 seconds.",
        "The batching window can be at most 15 minutes.",
        "batching_window",
    ),
    (
        "Each execution environment gets 625 Mbps of network bandwidth.",
        "Each execution environment gets 1,000 Mbps of network bandwidth.",
        "network.bandwidth",
    ),
    (
        "Provisioned concurrency is rounded up to the nearest 5 minutes.",
        "Provisioned concurrency is rounded up to the nearest 1 minute.",
        "price.provisioned.granularity",
    ),
]


@pytest.mark.parametrize(
    "note",
    [
        "- SQS visibility timeout: 30 seconds by default.",
        "The maximum timeout is 900 seconds; the default timeout is 3 seconds.",
        "After approval, bandwidth scales up to 3,000 Mbps at 10,240 MB.",
        "Lambda waits one minute between the first two retries of an asynchronous event.",
        "Duration is rounded up to 1 ms; provisioned concurrency to the nearest 5 minutes.",
    ],
)
def test_the_new_claims_leave_other_figures_alone(note):
    assert check_facts(note) == [], note


@pytest.mark.parametrize(("right", "wrong", "key"), CLAIMS)
def test_a_right_figure_is_not_flagged(right, wrong, key):
    assert check_facts(right) == [], f"{right!r} agrees with the facts file ({key})"


@pytest.mark.parametrize(("right", "wrong", "key"), CLAIMS)
def test_a_wrong_figure_is_flagged_once_with_the_fact_it_contradicts(right, wrong, key):
    issues = check_facts(wrong)
    assert len(issues) == 1, f"{wrong!r} should give one warning, got {issues}"
    assert key in issues[0].message, f"the warning should name the fact: {issues[0].message}"


def test_warning_names_the_line_what_the_note_says_and_the_fact_with_its_source():
    body = "# Limits\n\nSome intro.\n\n- Timeout: at most ==600 seconds==; default 3 seconds.\n"
    fact = load_facts().get("timeout.max")

    [issue] = check_facts(body, first_line=5)

    assert issue.line == 9, "line 5 of the body is line 9 of a file whose body starts at line 5"
    assert issue.message == (
        'says the maximum timeout is "600 seconds"; the facts file says 900 seconds '
        f"(timeout.max, source {fact.source}, checked {fact.checked.isoformat()})"
    )


def test_a_claim_continued_on_the_next_line_is_reported_on_the_line_of_the_figure():
    body = "The monthly free tier of Lambda is\n300,000 GB-seconds for everyone.\n"

    [issue] = check_facts(body)

    assert issue.line == 2
    assert '"300,000 GB-seconds"' in issue.message


def test_aws_600k_gb_seconds_per_dollar_claim_is_flagged_as_ten_times_off():
    [issue] = check_facts("AWS says you get $1 for 600,000 GB-seconds of compute.")

    assert '"$1 for 600,000 GB-seconds"' in issue.message
    assert "$0.0000016667 per GB-second" in issue.message, "says what the claim works out to"
    assert "$0.0000166667 per GB-second" in issue.message


def test_rounded_prices_are_right():
    assert check_facts("x86 duration costs $0.0000167 per GB-second.") == []
    assert check_facts("Arm duration costs $0.0000133 per GB-second.") == []


def test_units_are_converted_before_comparing():
    assert check_facts("The maximum timeout is 15 minutes (900 s).") == []
    assert check_facts("A container image can be up to 10,240 MB.") == []
    assert check_facts("Memory goes up to 10 GB.") == []


@pytest.mark.parametrize(
    "history",
    [
        "The maximum timeout used to be 300 seconds.",
        "Older exams say the maximum memory is 3,008 MB.",
        "The timeout limit was 5 minutes.",
        "Previously the maximum timeout was 300 seconds.",
        "Duration was rounded up to the nearest 100 ms before 2020.",
        "AWS raised the asynchronous payload limit from 256 KB to 1 MB.",
        "The deprecated InvokeAsync API allows at most 128 KB for asynchronous events.",
    ],
)
def test_history_is_not_a_claim(history):
    assert check_facts(history) == [], f"{history!r} talks about the past"


def test_figures_in_code_are_not_claims():
    body = "```yaml\nTimeout: at most 600 seconds\nMemorySize: 3008\n```\nSet `Timeout: 600`.\n"

    assert check_facts(body) == []


def test_figures_about_other_services_and_edge_functions_are_not_claims():
    body = (
        "# Lambda@Edge\n\n| | Viewer |\n|---|---|\n| Maximum run time | 5 seconds |\n"
        "| Maximum memory | 128 MB |\n"
    )
    assert check_facts(body) == [], "Lambda@Edge has its own limits"
    assert check_facts("An SQS visibility timeout is at most 12 hours.") == []


def test_figures_that_are_not_limits_are_left_alone():
    sentences = [
        "Increasing memory from 512 MB to 1,024 MB halved the run time.",
        "- Timeout: at most 900 seconds; the default is 3 seconds.",
        "A 512 MB function that runs 200 ms uses 5,000,000 × 0.2 s × 0.5 GB = 500,000 GB-seconds.",
        "Only the 2 million requests above the free million are billed.",
        "Events wait in the queue for up to 6 hours.",
    ]
    for sentence in sentences:
        assert check_facts(sentence) == [], f"{sentence!r} states no Lambda limit"


def test_limits_table_rows_are_checked_under_their_headers():
    table = (
        "| Quota | Default |\n|---|---|\n| Timeout | 900 seconds |\n| Memory | 3,008 MB |\n"
        "| Layers per function | 5 |\n"
    )

    [issue] = check_facts(table)

    assert issue.line == 4
    assert '"3,008 MB"' in issue.message and "memory.max" in issue.message


def test_facts_come_from_the_given_facts_files(tmp_path):
    facts_file = tmp_path / "lambda.toml"
    text = (DEFAULT_PATH / "lambda.toml").read_text(encoding="utf-8")
    facts_file.write_text(text.replace("value = 900\n", "value = 600\n"), encoding="utf-8")

    issues = check_facts("The maximum timeout is 900 seconds.", facts=load_facts(facts_file))

    assert len(issues) == 1 and "600 seconds" in issues[0].message


def test_the_default_deck_has_no_warnings():
    notes = sorted(DECK.glob("*.md"))
    assert notes, "the default deck is there"
    warnings = []
    for note in notes:
        source = read_source(note.read_bytes())
        for issue in check_facts(source.body, first_line=source.body_line):
            warnings.append(f"{note.name}:{issue.line}: {issue.message}")
    assert warnings == [], "the default deck's figures are correct"


@pytest.mark.parametrize(
    "note",
    [
        "- Maximum timeout: 600 seconds",
        "Maximum timeout: 600 seconds",
        "# Limits\n\n- Max timeout 600 seconds",
        "## Max timeout: 600 seconds",
        "What is the max timeout?\n?\n600 seconds",
        "- Max timeout::600 seconds",
        "- Timeout\n  - at most 600 seconds",
        "| Limit | Value |\n|---|---|\n| Max timeout | 600 seconds |",
    ],
)
def test_a_claim_is_checked_wherever_a_note_states_it_punctuated_or_not(note):
    issues = check_facts(note)
    assert len(issues) == 1 and "timeout.max" in issues[0].message, f"{note!r}: {issues}"


def test_question_callouts_are_not_claims():
    note = "> [!question] What is the maximum timeout?\n> - [x] 900 seconds\n> - [ ] 600 seconds\n"
    assert check_facts(note) == [], "a wrong option is wrong on purpose"


def test_what_counts_as_a_claim_comes_from_the_claims_file_beside_the_facts(tmp_path):
    (tmp_path / "widgets.toml").write_text(
        '[widget.max]\nlabel = "Widgets per box"\nvalue = 12\nunit = "widgets"\n'
        'adjustable = false\nsource = "https://example.com/widgets"\nchecked = 2026-11-30\n'
    )
    (tmp_path / "widgets.claims.toml").write_text(
        '[[limit]]\nfact = "widget.max"\nsays = "a box holds at most"\ndimension = "count"\n'
        "subject = '\\bbox(es)?\\b'\nlabel_ok = true\n"
    )
    tree = parse_note("- Widgets per box: at most 10 widgets\n- Max timeout: 600 seconds\n")
    issues = factcheck.check_facts(
        tree, facts=load_facts(tmp_path), claims=factcheck.load_claims(tmp_path)
    )
    assert [issue.line for issue in issues] == [1], "only the widget claim is known there"
    assert "widget.max" in issues[0].message


# How real notes write prices and limits (issue 14): abbreviations, cents, tables, other services


@pytest.mark.parametrize(
    "line",
    [
        "- requests 0.20 cent per 1 mill",
        "- 20 cents per million requests",
        "- 1 mill requests free per month",
        "- free tier 400k GBs per month",
        "- requests: $0.20 per 1 mil",
    ],
)
def test_abbreviated_correct_prices_are_never_flagged(line):
    assert check_facts(line) == []


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("- requests: $0.25 per 1 mill", "$0.25 per 1 million"),
        ("- requests 0.30 cent per 1 mill", "$0.30 per 1 million"),
        ("- 25 cents per million requests", "$0.25 per million requests"),
        ("- $1 for 600k GBs", "$1 for 600k GBs"),
    ],
)
def test_abbreviated_wrong_prices_are_flagged_with_what_the_note_says(line, written):
    [issue] = check_facts(line)
    assert f'"{written}"' in issue.message and issue.line == 1


def test_a_wrong_figure_in_a_table_row_is_flagged_on_its_line():
    table = "| Service | What | Value |\n|---|---|---|\n| Lambda | max timeout | 10 min |\n"
    [issue] = check_facts(table)
    assert issue.line == 3 and '"10 min"' in issue.message


def test_figures_of_another_service_s_note_are_not_lambda_s():
    note = "- integration timeout max 29 s\n- the async Lambda invocation payload limit is 256 KB\n"
    issues = factcheck.check_facts(parse_note(note), topic="API Gateway")
    assert [issue.line for issue in issues] == [2], "only the line naming Lambda is Lambda's"
    assert check_facts("# SQS\n\n- visibility timeout max 12 h\n- retention max 14 days\n") == []


def test_a_paragraph_of_many_claims_is_checked_line_by_line_up_to_a_bound():
    line = "The maximum timeout is 600 seconds.\n"
    issues = check_facts(line * 3000)  # one paragraph: it was read whole for every sentence
    checked = factcheck.MAX_CHECKED_CHARS // len(line.strip())
    assert [issue.line for issue in issues[:-1]] == list(range(1, checked + 1))
    assert all("timeout.max" in issue.message for issue in issues[:-1])
    assert (issues[-1].line, issues[-1].message) == (
        checked + 1,
        "too many figures to check: from here on none is checked",
    )


def test_a_sentence_too_long_to_be_prose_is_not_checked():
    long = "The maximum timeout is 600 seconds " + "and more " * factcheck.MAX_SENTENCE_CHARS
    assert check_facts(long) == []
    assert len(check_facts(long[: factcheck.MAX_SENTENCE_CHARS])) == 1


def test_a_sentence_checked_before_is_flagged_again_on_its_own_line_in_another_note():
    wrong = "The maximum timeout is 600 seconds.\n"
    [first] = check_facts(wrong)
    [again] = check_facts("# Limits\n\nSome intro.\n\n" + wrong, first_line=3)
    assert (first.line, again.line) == (1, 7), "a remembered verdict still names its line"
    assert again.message == first.message and again.fact == first.fact
    [elsewhere] = check_facts("# Limits\n\n" + wrong)
    assert elsewhere.line == 3
