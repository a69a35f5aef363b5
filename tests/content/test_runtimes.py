"""Runtimes as data, and the warning for a deprecated runtime presented as current."""

from datetime import date

import pytest

from cards.calculators.facts import DEFAULT_PATH, FactsError, load_facts
from cards.content.pipeline import process_note
from cards.content.runtimes import check_runtimes, current_successor, load_runtimes
from cards.content.tree import parse_note

TODAY = date(2026, 11, 30)


def warnings(note: str, today: date = TODAY) -> list:
    return check_runtimes(parse_note(note), today=today)


def test_the_runtimes_file_lists_the_newest_identifier_of_every_managed_language():
    runtimes = load_runtimes()
    for identifier in ["nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0"]:
        assert identifier in runtimes, identifier
        assert not runtimes[identifier].deprecated(TODAY), identifier


def test_every_runtime_has_its_dates_its_source_and_the_day_it_was_checked():
    for runtime in load_runtimes().values():
        assert runtime.source.startswith("https://"), runtime.identifier
        assert runtime.checked == TODAY, runtime.identifier
        assert runtime.language, runtime.identifier
        if runtime.block_create and runtime.deprecation.year >= 2025:
            assert runtime.block_create > runtime.deprecation, (
                f"{runtime.identifier}: creation is blocked after, not on, the deprecation date"
            )


def test_dotnet8_and_provided_al2_are_deprecated_with_later_block_dates():
    runtimes = load_runtimes()
    dotnet8, al2 = runtimes["dotnet8"], runtimes["provided.al2"]
    assert dotnet8.deprecation == date(2026, 11, 10)
    assert dotnet8.block_create == date(2027, 2, 1)
    assert al2.deprecation == date(2026, 7, 31)
    assert al2.block_create == date(2027, 2, 1)
    assert current_successor(dotnet8, runtimes, TODAY) == "dotnet10"
    assert current_successor(al2, runtimes, TODAY) == "provided.al2023"


def test_the_facts_loader_skips_the_runtimes_file():
    assert (DEFAULT_PATH / "lambda.runtimes.toml").exists()
    assert not [fact.key for fact in load_facts() if "runtime" in fact.key]


def test_a_malformed_runtime_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "x.runtimes.toml").write_text(
        '[[runtime]]\nidentifier = "python3.14"\nlanguage = "Python"\n', encoding="utf-8"
    )
    with pytest.raises(FactsError, match=r"x\.runtimes\.toml: runtime 1 lacks deprecation"):
        load_runtimes(tmp_path)


def test_a_deprecated_runtime_presented_as_current_is_a_warning_on_its_line():
    [issue] = warnings("# Runtimes\n\n- .NET — `dotnet8`\n- Python — `python3.14`\n")
    assert issue.line == 3
    assert "`dotnet8` (.NET 8) is named as if current" in issue.message
    assert "deprecated it on 2026-11-10" in issue.message
    assert "new functions cannot use it from 2027-02-01" in issue.message
    assert "such as `dotnet10`" in issue.message


def test_saying_the_runtime_is_deprecated_or_retired_is_no_warning():
    for note in [
        "`dotnet8` was deprecated on 10 November 2026.",
        "- `go1.x` was retired; Go now runs on an OS-only runtime.",
        "- `nodejs18.x` functions can no longer be created after the block date.",
        "Upgrade functions still on `python3.9` to `python3.14`.",
    ]:
        assert warnings(note) == [], note


def test_a_heading_a_parent_bullet_or_a_table_header_can_say_it():
    assert warnings("## Deprecated runtimes\n\n- `dotnet8`\n- `provided.al2`\n") == []
    assert warnings("- Deprecated:\n    - `dotnet8`\n    - `nodejs20.x`\n") == []
    table = "| Identifier | Deprecated on |\n|---|---|\n| `dotnet8` | 2026-11-10 |\n"
    assert warnings(table) == []


def test_each_sentence_of_a_paragraph_is_judged_on_its_own():
    note = "`dotnet8` is deprecated. For a new .NET function\nchoose `dotnet9` or `dotnet10`.\n"
    [issue] = warnings(note)
    assert issue.line == 2 and "`dotnet9`" in issue.message


def test_before_its_deprecation_date_a_runtime_is_current():
    assert warnings("- .NET — `dotnet8`", today=date(2026, 11, 9)) == []
    assert len(warnings("- .NET — `dotnet8`", today=date(2026, 11, 10))) == 1


def test_identifiers_are_matched_whole():
    assert warnings("- Java 8 on Amazon Linux 2: `java8.al2`") == []
    assert warnings("- OS-only: `provided.al2023`") == []
    assert len(warnings("- Java 8: `java8`")) == 1
    assert warnings("Lambda provided the runtime; nodejs developers use it.") == [], (
        "an identifier that is also an English word counts only as inline code"
    )
    assert len(warnings("- Old OS-only runtime: `provided`")) == 1


def test_templates_in_code_blocks_are_checked_but_question_callouts_are_not():
    template = "```yaml\nResources:\n  Fn:\n    Properties:\n      Runtime: nodejs18.x\n```\n"
    [issue] = warnings(template)
    assert issue.line == 5
    question = (
        "> [!question] Which runtime is current for .NET?\n"
        "> - [x] `dotnet10`\n> - [ ] `dotnet8`\n> - [ ] `dotnet6`\n"
    )
    assert warnings(question) == [], "a deprecated runtime is a fair wrong option"


def test_the_pipeline_reports_the_warning_with_the_others():
    processed = process_note("# Runtimes\n\n- .NET — `dotnet8`\n", path="runtimes.md")
    assert any("`dotnet8`" in issue.message for issue in processed.warnings)
