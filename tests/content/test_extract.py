import random
import string

import pytest

from cards.content.extract import KINDS, Extraction, extract_cards
from cards.content.text import normalise
from cards.content.tree import parse_note


def extract(text, *, title="AWS Lambda", first_line=1, options=None):
    """Cards of a note body, with the warnings of its tree and of the extraction."""
    tree = parse_note(text, first_line=first_line)
    found = extract_cards(tree, title=title, options=options)
    return Extraction(found.cards, sorted(tree.warnings + found.warnings, key=lambda w: w.line))


def cards(text, **kwargs):
    return extract(text, **kwargs).cards


def of_kind(text, kind, **kwargs):
    return [card for card in cards(text, **kwargs) if card.kind == kind]


def messages(text, **kwargs):
    return [issue.message for issue in extract(text, **kwargs).warnings]


def keys(text, **kwargs):
    return {card.key for card in cards(text, **kwargs)}


# Explicit cards


def test_front_back_line_makes_a_basic_card():
    (card,) = cards("What is the default timeout::3 seconds")
    assert (card.kind, card.front, card.back) == (
        "basic",
        "What is the default timeout?",
        "3 seconds",
    )


def test_spaced_separator_and_bullet_prefix_make_basic_cards():
    found = cards("- Max memory :: 10,240 MB\n- Ephemeral storage default:: 512 MB")
    assert [(card.front, card.back) for card in found] == [
        ("AWS Lambda: Max memory?", "10,240 MB"),
        ("AWS Lambda: Ephemeral storage default?", "512 MB"),
    ]


def test_triple_colon_makes_basic_and_reversed_cards():
    found = cards("Lambda@Edge runs at:::CloudFront edge locations")
    assert [(card.kind, card.front, card.back) for card in found] == [
        ("basic", "AWS Lambda: Lambda@Edge runs at?", "CloudFront edge locations"),
        ("reversed", "AWS Lambda: CloudFront edge locations?", "Lambda@Edge runs at"),
    ]


@pytest.mark.parametrize(
    "line", ["What does DAX stand for:::DynamoDB Accelerator", "Default timeout:::3 seconds"]
)
def test_the_reverse_of_a_question_or_a_bare_figure_is_not_made(line):
    result = extract(line)
    assert [card.kind for card in result.cards] == ["basic"]
    assert "makes no reverse card" in result.warnings[0].message


def test_explicit_line_makes_no_other_card():
    found = cards("## Limits\n\n- Timeout::900 seconds\n- Memory: ==10 GB==::maximum")
    assert [card.kind for card in found] == ["basic", "basic"], (
        "an explicit card line must not also make numeric, definition or cloze cards"
    )


@pytest.mark.parametrize(
    "line",
    [
        "Use `Foo::Bar` to reach the nested class.",
        "The C++ container std::vector grows as needed.",
        "Resource type AWS::Lambda::Function in CloudFormation templates",
        "Foo::Bar is a Ruby constant path",
        "Call std::move(value) to transfer ownership",
        "See http://example.com/a::b for details",
        "Listen on [::1]:8080 for local traffic",
        "Retries happen {{c1::twice}} for async calls",
    ],
)
def test_double_colon_that_is_not_a_separator_makes_no_explicit_card(line):
    assert not [card for card in cards(line) if card.kind in ("basic", "reversed")], line


def test_front_with_no_back_is_reported_and_makes_no_card():
    result = extract("Intro line\n\nFront::\n")
    assert result.cards == []
    assert result.warnings[0].line == 3
    assert result.warnings[0].message == "`Front::` has no back"


def test_question_mark_line_makes_a_multi_line_card():
    text = "# Cold starts\n\nWhat is a cold start\nin Lambda?\n?\n"
    text += "The delay while a new\nenvironment starts.\n"
    (card,) = cards(text)
    assert card.kind == "basic"
    assert card.front == "What is a cold start\nin Lambda?"
    assert card.back == "The delay while a new\nenvironment starts."
    assert card.line == 3


def test_double_question_mark_makes_a_reversed_card_too():
    found = cards("SnapStart\n??\nSnapshots of an initialised environment")
    assert [card.kind for card in found] == ["basic", "reversed"]
    assert found[1].front == "AWS Lambda: Snapshots of an initialised environment?"


def test_question_mark_without_answer_is_reported():
    result = extract("What is Lambda?\n?\n\nLater text")
    assert result.cards == []
    assert result.warnings[0].message == "`?` has no answer below it"
    assert messages("\n?\nAn answer") == ["`?` has no question above it"]


# Cloze


def test_each_highlight_makes_one_cloze_card_and_the_cards_are_siblings():
    text = "- The ==maximum timeout== of a function is ==15 minutes== in every region."
    first, second = of_kind(text, "cloze")
    assert first.front == "AWS Lambda: The [...] of a function is 15 minutes in every region."
    assert first.back == "The ==maximum timeout== of a function is 15 minutes in every region."
    assert second.front == (
        "AWS Lambda: The maximum timeout of a function is [...] in every region."
    )
    assert (first.answer, second.answer) == ("maximum timeout", "15 minutes")
    assert first.sibling_group and first.sibling_group == second.sibling_group
    assert first.key != second.key


def test_sentences_of_a_paragraph_are_separate_cloze_cards():
    text = "Lambda is ==event driven== by design. It bills for ==requests== and duration."
    first, second = of_kind(text, "cloze")
    assert first.back == "Lambda is ==event driven== by design."
    assert second.back == "It bills for ==requests== and duration."
    assert not first.sibling_group or first.sibling_group != second.sibling_group, (
        "cards of different sentences are not siblings"
    )


def test_anki_cloze_numbers_group_deletions_and_show_hints():
    text = (
        "Async calls retry {{c1::twice}}, first after {{c2::1 minute::delay}} then {{c1::2 min}}."
    )
    first, second = of_kind(text, "cloze")
    assert first.front == "AWS Lambda: Async calls retry [...], first after 1 minute then [...]."
    assert first.back == "Async calls retry ==twice==, first after 1 minute then ==2 min==."
    assert second.front == "AWS Lambda: Async calls retry twice, first after [delay] then 2 min."
    assert second.answer == "1 minute"
    assert first.sibling_group == second.sibling_group


def test_highlighted_definition_asks_the_term_of_its_subject():
    (card,) = cards("## Limits\n\n- Timeout: ==15 minutes==")
    assert (card.front, card.answer) == ("AWS Lambda Limits: **Timeout**?", "15 minutes")


def test_highlight_in_a_definition_asks_it_of_the_term_beside_the_definition_card():
    text = "- Intelligent-Tiering – unknown or changing access patterns; ==no retrieval fees=="
    found = cards(text, title="S3 storage classes")
    assert [(card.kind, card.front) for card in found] == [
        (
            "cloze",
            "S3 storage classes Intelligent-Tiering: unknown or changing access patterns; [...]",
        ),
        ("definition", "S3 storage classes: **Intelligent-Tiering**?"),
    ]


def test_cloze_of_nothing_but_the_highlight_is_not_made():
    assert cards("## Event sources\n\n- ==S3==\n- ==SQS==") == []


def test_cloze_line_makes_no_other_card():
    found = cards("## Limits\n\n- Timeout: at most ==900 seconds== per invocation")
    assert [card.kind for card in found] == ["cloze"]


def test_unclosed_highlight_and_cloze_are_reported_by_line():
    result = extract("Intro\n\n- The ==timeout is 15 minutes\n- Retries {{c1::two times")
    assert [(issue.line, issue.message) for issue in result.warnings] == [
        (3, "`==` highlight is not closed"),
        (4, "`{{c1::` cloze is not closed with `}}`"),
    ]


def test_double_equals_in_code_or_prose_comparison_is_not_a_highlight():
    result = extract("Compare with `a == b` in Python; x == y is not a highlight either.")
    assert result.cards == []
    assert result.warnings == []


# Definitions


def test_colon_bullet_makes_a_definition_card_with_heading_context():
    (card,) = cards("# Lambda limits\n\n- Concurrency: the number of requests served at once")
    assert card.kind == "definition"
    assert card.front == "AWS Lambda: **Concurrency**?"
    assert card.back == "the number of requests served at once"
    assert card.identity == "concurrency"


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_dash_bullets_make_definition_cards(dash):
    (card,) = cards(f"## Terms\n\n- Cold start {dash} the delay before the first invocation")
    assert (card.kind, card.front) == ("definition", "AWS Lambda: **Cold start**?")
    assert card.back == "the delay before the first invocation"


@pytest.mark.parametrize(
    "line",
    [
        "- **Layer**: a zip archive of shared code",
        "- **Layer:** a zip archive of shared code",
        "- **Layer** - a zip archive of shared code",
        "**Layer**: a zip archive of shared code",
    ],
)
def test_bold_terms_make_definition_cards(line):
    (card,) = cards(f"## Packaging\n\n{line}")
    assert (card.kind, card.front, card.back) == (
        "definition",
        "AWS Lambda Packaging: **Layer**?",
        "a zip archive of shared code",
    )


def test_definition_without_heading_uses_the_note_title():
    (card,) = cards("- Handler: the function Lambda calls", title="Lambda basics")
    assert card.front == "Lambda basics: **Handler**?"


def test_definition_that_is_one_value_with_a_unit_is_a_numeric_card():
    (card,) = cards("## Limits\n\n- Timeout: 900 seconds")
    assert card.kind == "numeric"
    assert (card.front, card.back, card.answer) == (
        "AWS Lambda Limits: **Timeout**?",
        "900 seconds",
        "900 seconds",
    )


def test_definition_needs_a_short_term_and_a_real_definition():
    text = (
        "## Misc\n\n- Runtime: Python\n"
        "- This is a rather long sentence that happens to contain a colon: see below\n"
        "- At 10:30 the meeting starts\n"
        "- https://aws.amazon.com: the console"
    )
    assert of_kind(text, "definition") == []


def test_range_with_units_is_not_a_term():
    assert of_kind("## Limits\n\n- Memory 128 MB - 10 GB", "definition") == []


def test_nested_definitions_are_read_under_their_parent_bullet():
    text = "## Invocation\n\n- Synchronous: the caller waits\n  - CLI: `aws lambda invoke`\n"
    text += "- Asynchronous: Lambda queues the event\n  - CLI: `aws lambda invoke --async`"
    nested = [card for card in cards(text) if card.front.endswith("**CLI**?")]
    assert [card.front for card in nested] == [
        "AWS Lambda Synchronous: **CLI**?",
        "AWS Lambda Asynchronous: **CLI**?",
    ]
    assert nested[0].key != nested[1].key


def test_links_described_in_a_map_of_content_are_not_definitions():
    assert cards("## Fundamentals\n\n- [[Lambda runtimes]]: managed and custom runtimes") == []


def test_bullet_ending_with_colon_and_children_is_a_list_intro_not_a_definition():
    found = cards("## Events\n\n- Triggers that push events:\n  - S3\n  - SNS\n  - EventBridge")
    assert [card.kind for card in found] == ["list"]


# Lists


def test_short_list_under_a_heading_makes_a_list_card():
    (card,) = cards("# Lambda\n## Benefits\n\n- No servers\n- Automatic scaling\n- Pay per use")
    assert card.kind == "list"
    assert card.front == "Lambda Benefits — name all 3?"
    assert card.back == "- No servers\n- Automatic scaling\n- Pay per use"


def test_list_under_an_intro_line_names_the_intro():
    text = "## Overview\n\nBenefits of Lambda include:\n\n- No servers\n- Scaling\n- Pay per use"
    (card,) = cards(text)
    assert card.front == "Benefits of Lambda include — name all 3?"
    assert card.line == 3


def test_numbered_list_asks_for_the_items_in_order():
    (card,) = cards("## Deploy\n\n1. Write\n2. Package\n3. Upload")
    assert card.front == "Deploy — name all 3 in order?"
    assert card.back == "1. Write\n2. Package\n3. Upload"


def test_long_items_single_items_and_definition_lists_make_no_list_card():
    long_items = "## A\n\n- " + "\n- ".join(["one two three four five six seven eight nine"] * 3)
    single = "## B\n\n- Only one item here"
    definitions = "## C\n\n- S3: object storage service\n- SQS: a message queue service"
    too_many = "## D\n\n" + "\n".join(f"- item {word}" for word in string.ascii_lowercase[:10])
    for text in (long_items, single, definitions, too_many):
        assert of_kind(text, "list") == [], text


def test_intro_sentence_after_other_prose_names_only_the_last_sentence():
    text = "## Cold starts\n\nA cold start is slow. Mitigations:\n- SnapStart\n- Provisioning"
    first, second = cards(text)
    assert first.front == "AWS Lambda Cold starts: Mitigations: [...]; Provisioning"
    assert second.front == "AWS Lambda Cold starts: Mitigations: SnapStart; [...]"


def test_bold_line_above_a_list_acts_as_its_intro():
    first, _second = cards("## Lambda\n\n**Benefits**\n- No servers\n- Scaling")
    assert first.front == "Lambda: Benefits: [...]; Scaling"


def test_task_items_and_remarks_make_no_cards():
    text = (
        "## Plan\n\n- [ ] Timeout: check 900 seconds\n- [x] add pricing\n- See the 15 minutes limit"
    )
    assert cards(text) == []


def test_links_list_under_see_also_makes_no_card():
    assert cards("## See also\n\n- [[Lambda layers]]\n- [[Lambda pricing]]") == []


# Tables


def test_table_cells_make_row_by_column_cards():
    text = (
        "## Limits\n\n| Setting | Default | Maximum |\n|---|:---:|---|\n| Timeout | 3 s | 900 s |\n"
    )
    found = cards(text)
    assert [(card.kind, card.front, card.back) for card in found] == [
        ("table", "AWS Lambda Limits Timeout: Default?", "3 s"),
        ("table", "AWS Lambda Limits Timeout: Maximum?", "900 s"),
    ]
    assert found[0].line == 5
    assert found[0].identity == "timeout | default"


def test_table_without_outer_pipes_makes_the_same_cards():
    with_pipes = "## L\n\n| A | B |\n|---|---|\n| Memory | 128 MB |"
    without = "## L\n\nA | B\n--- | ---\nMemory | 128 MB"
    assert keys(with_pipes) == keys(without)
    assert len(keys(without)) == 1


def test_table_skips_empty_cells_and_strips_emphasis_from_fronts():
    text = (
        "| Runtime | **Arch** | Notes |\n|---|---|---|\n| *Python* | arm64 | - |\n| Java | n/a | |"
    )
    found = cards(text, title="Runtimes")
    assert [(card.front, card.back) for card in found] == [("Runtimes Python: Arch?", "arm64")]


def test_table_cells_holding_only_a_link_make_no_card():
    text = (
        "| Limit | Value | Explained in |\n|---|---|---|\n| Timeout | 900 s | [[Lambda limits]] |"
    )
    assert [card.back for card in cards(text)] == ["900 s"]


def test_oversized_table_makes_no_cards_and_one_warning():
    header = "| " + " | ".join(f"c{i}" for i in range(10)) + " |"
    text = header + "\n|" + "---|" * 10 + "\n" + (header + "\n") * 3
    result = extract(text)
    assert result.cards == []
    assert len(result.warnings) == 1


def test_table_row_with_a_different_cell_count_is_reported():
    result = extract("| A | B |\n|---|---|\n| Memory | 128 MB | extra |")
    assert [(issue.line, issue.message) for issue in result.warnings] == [
        (3, "table row has 3 cells; the header has 2")
    ]


# Numeric facts


def test_numeric_fact_blanks_each_value_with_its_unit():
    text = "## Storage\n\n- /tmp storage ranges from 512 MB up to 10,240 MB for each function."
    first, second = of_kind(text, "numeric")
    assert first.front == "/tmp storage ranges from [...] up to 10,240 MB for each function."
    assert first.back == "/tmp storage ranges from ==512 MB== up to 10,240 MB for each function."
    assert (first.answer, second.answer) == ("512 MB", "10,240 MB")
    assert first.sibling_group == second.sibling_group


def test_a_sentence_written_again_makes_its_card_once_and_each_repeat_says_so():
    text = "The timeout is at most 900 seconds.\nThe ==retry wait is 2 minutes.\n" * 2
    result = extract(text + "The timeout is at most 900 seconds.")
    assert [(card.line, card.front) for card in result.cards] == [
        (1, "AWS Lambda: The timeout is at most [...]."),
        (2, "AWS Lambda: The ==retry wait is [...]."),
    ]
    assert [(issue.line, issue.message) for issue in result.warnings] == [
        (2, "`==` highlight is not closed"),
        (3, "same card as line 1; made once"),
        (4, "`==` highlight is not closed"),
        (4, "same card as line 2; made once"),
        (5, "same card as line 1; made once"),
    ], "a repeated sentence is read once, but every repeat is reported on its own line"


@pytest.mark.parametrize(
    ("sentence", "answer"),
    [
        ("Requests are billed at $0.20 per 1M requests in most regions.", "$0.20 per 1M requests"),
        ("The default account concurrency is 1,000 concurrent executions per region.", None),
        ("Arm functions cost about 20% less than comparable x86 ones.", "20%"),
        ("Cold starts usually take 100-200 ms for small Python functions.", "100-200 ms"),
        ("A function can run for at most 15 minutes per invocation.", "15 minutes per invocation"),
    ],
)
def test_numeric_facts_recognise_units_money_and_percentages(sentence, answer):
    (card,) = of_kind(sentence, "numeric")
    assert "[...]" in card.front
    if answer:
        assert card.answer == answer


def test_numbers_of_a_worked_calculation_are_not_facts():
    text = "Compute is 5,000,000 × 0.2 s × 0.5 GB = 500,000 GB-seconds for the month."
    assert of_kind(text, "numeric") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Lambda was announced in 2014 at re:Invent in Las Vegas.",
        "It supports Python 3.12 and Node.js 20 as managed runtimes.",
        "The function ARN is arn:aws:lambda:us-east-1:123456789012:function:demo today.",
        "Set the value with `timeout = 900 seconds` in the template file.",
        "Released on 2023-10-02 together with several other runtime updates.",
    ],
)
def test_years_versions_ids_and_code_are_not_numeric_facts(sentence):
    assert of_kind(sentence, "numeric") == [], sentence


# Front matter switches


NOTE = (
    "## Limits\n\n- Timeout: 900 seconds\n- Layers::5 per function\n"
    "- Memory goes up to ==10 GB== today\n"
)


def test_all_card_sources_are_on_by_default():
    assert {card.kind for card in cards(NOTE)} == {"numeric", "basic", "cloze"}


@pytest.mark.parametrize(
    "options", [{"cards": "explicit"}, {"structure": False}, {"cards": "explicit", "tags": ["x"]}]
)
def test_structure_cards_can_be_switched_off(options):
    assert {card.kind for card in cards(NOTE, options=options)} == {"basic", "cloze"}


@pytest.mark.parametrize("options", [{"cards": "none"}, {"cards": False}])
def test_cards_none_makes_nothing(options):
    assert cards(NOTE, options=options) == []


def test_cloze_can_be_switched_off():
    found = cards(NOTE, options={"cloze": False})
    assert "cloze" not in {card.kind for card in found}
    assert "basic" in {card.kind for card in found}


def test_unknown_options_are_ignored():
    assert keys(NOTE, options={"colour": "blue", "cards": ["odd"]}) == keys(NOTE)


# Headings and nesting


def test_heading_path_handles_closed_headings_and_skipped_levels():
    text = (
        "# AWS Lambda #\n\n#### **Cold** starts ####\n\n- Init: the phase before the handler runs\n"
    )
    text += "## Pricing ##\n\n- Requests: billed per million requests\n"
    first, second = cards(text)
    assert first.heading_path == ("AWS Lambda", "Cold starts")
    assert second.heading_path == ("AWS Lambda", "Pricing")


def test_setext_headings_count_as_headings():
    (card,) = cards("Limits\n======\n\n- Handler: the function Lambda calls first")
    assert card.heading_path == ("Limits",)


@pytest.mark.parametrize("indent", ["\t", "  ", "    "])
def test_tabs_and_two_or_four_spaces_nest_the_same(indent):
    text = f"## Event sources\n\n- Push sources:\n{indent}- S3\n{indent}- SNS\n- Pull sources:\n"
    text += f"{indent}- SQS\n{indent}- Kinesis\n{indent}{indent}- shards matter here\n"
    fronts = sorted(card.front for card in of_kind(text, "cloze"))
    assert fronts == [
        "AWS Lambda Event sources: Pull sources: SQS; [...]",
        "AWS Lambda Event sources: Pull sources: [...]; Kinesis",
        "AWS Lambda Event sources: Push sources: S3; [...]",
        "AWS Lambda Event sources: Push sources: [...]; SNS",
    ]


def test_lines_count_from_the_first_line_of_the_body():
    (card,) = cards("\n- Handler: the function Lambda calls first", first_line=5, title="T")
    assert card.line == 6


def test_code_blocks_and_comments_make_no_cards():
    text = "```yaml\nTimeout::900\nMemory: 128 MB is the minimum\n```\n<!-- Hidden::card -->\n"
    text += "%%\nSecret::card\n%%\n~~~\n- a: b c\n~~~\n"
    result = extract(text)
    assert result.cards == []
    assert result.warnings == []


def test_an_unclosed_comment_is_reported_where_it_opens():
    for text, line, mark in (
        ("Intro\n\n<!-- draft\nTimeout::900\n", 3, "<!--"),
        ("%%\nA::b\n", 1, "%%"),
    ):
        result = extract(text)
        assert result.cards == []
        assert [(issue.line, issue.message.split(":")[0]) for issue in result.warnings] == [
            (line, f"comment {mark} is never closed with {'-->' if mark == '<!--' else '%%'}")
        ]


def test_unclosed_code_fence_is_reported():
    result = extract("Intro\n\n```python\nx = 1\n")
    assert [(issue.line, issue.message) for issue in result.warnings] == [
        (3, "code fence is never closed; the rest makes no cards")
    ]


def test_carriage_returns_are_tolerated():
    plain_cards = cards("## Limits\n\n- Handler: the function Lambda calls\n- Max::15 min\n")
    crlf_cards = cards("## Limits\r\n\r\n- Handler: the function Lambda calls\r\n- Max::15 min\r\n")
    assert [(c.front, c.back, c.key) for c in crlf_cards] == [
        (c.front, c.back, c.key) for c in plain_cards
    ]


def test_control_characters_are_reported():
    assert messages("Intro\nbad \x07 bell") == ["line contains control characters (ignored)"]


# Identity


def test_keys_are_twenty_hex_characters_and_unique():
    found = cards(NOTE + "\n| A | B |\n|---|---|\n| x | y |\n")
    assert all(len(card.key) == 20 and int(card.key, 16) >= 0 for card in found)
    assert len({card.key for card in found}) == len(found)
    assert {card.kind for card in found} <= set(KINDS)


def test_reordered_bullets_keep_card_keys():
    before = "## Limits\n\n- Timeout: 900 seconds\n- Handler: the entry point\n- Max::15 min\n"
    after = "## Limits\n\n- Max::15 min\n- Handler: the entry point\n\n\n- Timeout: 900 seconds\n"
    assert keys(before) == keys(after)


def test_corrected_definition_keeps_its_key():
    before = keys("## Terms\n\n- Layer: a zip of libraries")
    assert keys("## Terms\n\n- **Layer** - a zip archive of shared libraries") == before


def test_corrected_cloze_answer_keeps_its_key():
    before = cards("- The maximum timeout is ==5 minutes== for one invocation")
    after = cards("- The maximum timeout is ==15 minutes== for one invocation")
    assert before[0].key == after[0].key
    assert after[0].answer == "15 minutes"


def test_corrected_numeric_value_keeps_its_key():
    before = keys("## L\n\n- The default timeout is 6 seconds for new functions.")
    assert keys("## L\n\n- The default timeout is 3 seconds for new functions.") == before


def test_added_list_item_keeps_the_list_key():
    before = of_kind("## Benefits\n\n- No servers\n- Scaling\n- Pay per use", "list")
    after = of_kind("## Benefits\n\n- No servers\n- Scaling\n- Pay per use\n- No patching", "list")
    assert before[0].key == after[0].key
    assert after[0].front == "AWS Lambda Benefits — name all 4?"


def test_moving_a_card_to_another_heading_changes_its_key():
    assert keys("## A\n\n- Front::Back") != keys("## B\n\n- Front::Back")


def test_same_card_twice_is_made_once_with_a_warning():
    result = extract("Front::Back\n\nFront::Back\n")
    assert len(result.cards) == 1
    assert result.warnings[0].line == 3


def test_normalise_strips_markup_case_and_punctuation():
    assert normalise("**Max**  `memory` ==size==, [[Limits|limit]]!") == "max memory size limit"
    assert normalise("[[Lambda]] _timeout_") == "lambda timeout"


# Meaningless fronts


@pytest.mark.parametrize(
    "line",
    [
        "- Note: this changes often, check the docs",
        "- Example: a thumbnail generator for uploads",
        "- TODO - write the pricing section later",
        "- See also: the layers note in this folder",
        "- [[Lambda layers]]",
        "- ![[Pasted image 2022.png]]",
        "- [AWS docs](https://docs.aws.amazon.com/lambda/)",
    ],
)
def test_meaningless_fronts_are_not_made(line):
    assert cards(f"## Misc\n\n{line}") == [], line


# Robustness


def test_random_text_never_raises():
    alphabet = string.printable + "==::{{c1::}}[[]]|`~#*-_>\t\r→â€™"
    generator = random.Random(7)
    for _ in range(300):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 300)))
        result = extract(text, options=generator.choice([None, {}, {"cards": 3}, "odd"]))
        assert all(card.kind in KINDS for card in result.cards)


@pytest.mark.parametrize(
    "text",
    [
        "\n".join("  " * depth + "- nested item" for depth in range(500)),
        "word " * 50_000,
        "{{c1::" * 20_000,
        "x::" * 20_000,
        "[[" * 20_000,
        "==a " * 20_000,
        "?\n" * 2_000,
    ],
)
def test_deep_nesting_and_huge_lines_are_read_to_the_end(text):
    # How long they take is measured by `make bench` (pathological_notes), not here.
    result = extract(text)
    assert all(card.kind in KINDS for card in result.cards)
    assert all(card.front and card.back for card in result.cards)


def test_a_two_hundred_line_note_makes_the_cards_of_each_section():
    section = (
        "## Limits {n}\n\n- Timeout: 900 seconds\n- Handler - the entry point of a function\n"
        "- The default memory is ==128 MB== for new functions.\n- Layers::5 per function\n\n"
        "Benefits:\n- No servers\n- Scaling\n- Pay per use\n\n| A | B |\n|---|---|\n| x | 3 s |\n"
        "Cold starts take 100 ms. Lambda launched in 2014.\n\n"
    )
    note = "".join(section.format(n=n) for n in range(12))
    assert 180 <= note.count("\n") <= 240
    found = cards(note)
    per_section = {path[-1] for card in found for path in [card.heading_path]}
    assert per_section == {f"Limits {n}" for n in range(12)}
    assert len(found) == 12 * len(cards(section.format(n=0))), "every section the same cards"


def test_authored_question_callouts_make_no_cards():
    text = (
        "## Event sources\n"
        "> [!question] Which TWO event sources does Lambda poll?\n"
        "> - [x] Amazon SQS: a queue\n"
        "> - [ ] Amazon S3 holds ==objects==\n"
        "> Explanation: Timeout: 900 seconds at most.\n"
        "\n"
        "- Amazon SNS: pushes events to subscribers\n"
    )
    found = cards(text)
    assert [card.line for card in found] == [7], "only the bullet below the question is a card"
    assert messages(text) == []


def test_double_colon_between_words_is_a_card_but_not_between_constant_names():
    (card,) = cards("Lambda pricing::per request and per ms")
    assert (card.front, card.back) == ("Lambda pricing?", "per request and per ms")
    assert cards("Foo::Bar is a Ruby constant path") == []


def test_the_new_note_starter_text_makes_a_card_per_line():
    from cards.views.authoring import NEW_NOTE_TEXT

    found = cards(NEW_NOTE_TEXT, title="New note")
    assert [card.kind for card in found] == ["definition", "basic", "cloze"]
    assert [card.line for card in found] == [3, 4, 5]


def test_a_statement_with_a_highlight_before_a_colon_is_a_cloze_not_a_definition():
    note = "# Layers\n\n* Layer versions are ==immutable==: publishing again creates version 2.\n"
    found = cards(note)
    assert [card.kind for card in found] == ["cloze"]
    assert "Layer versions are [...]" in found[0].front


def test_figures_in_good_and_bad_examples_make_no_card():
    note = (
        "# Layers\n\n## Good uses and bad uses\n\n"
        "+ Good: big dependencies shared by many functions.\n"
        "+ Bad: trying to go past the 250 MB limit — layers count towards it.\n"
        "+ Bad: hiding a dependency a single function needs.\n"
    )
    assert not any("250" in card.back for card in cards(note))
    assert any("250" in card.back for card in cards("# Layers\n\n- Size: under 250 MB unzipped.\n"))
