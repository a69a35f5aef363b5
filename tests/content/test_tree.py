"""The one reading of a note: lines classified once, blocks every consumer walks."""

from hypothesis import given
from hypothesis import strategies as st

from cards.content.markdown import render_note
from cards.content.tree import CODE_SPAN, Callout, Heading, code_spans, parse_note, wikilinks


def test_title_is_the_first_level_one_heading_outside_code_and_quotes():
    body = "```bash\n# not a title: a shell comment\n```\n> # quoted\n\n# Lambda limits ##\n"
    assert parse_note(body).title == "Lambda limits"


def test_a_setext_heading_is_a_heading_and_a_title():
    tree = parse_note("Lambda pricing\n==============\n\nIntro.\n")
    assert tree.title == "Lambda pricing"
    assert [block.text for block in tree.walk(Heading)] == ["Lambda pricing"]


def test_headings_are_blocks_with_their_path_and_line():
    tree = parse_note("# A\n\ntext\n\n### C ###\n", first_line=3)
    headings = tree.walk(Heading)
    assert [(h.level, h.text, h.line, h.heading_path) for h in headings] == [
        (1, "A", 3, ("A",)),
        (3, "C", 7, ("A", "C")),
    ]


def test_code_blocks_are_found_wherever_they_are_even_inside_a_list_item():
    tree = parse_note("- Check:\n    ```lambda-limits\n    layers: 6\n    ```\n- next\n")
    [code] = tree.code
    assert (code.info, code.lines, code.closed) == ("lambda-limits", [(3, "layers: 6")], True)


def test_question_callouts_are_their_own_blocks_and_make_no_text():
    body = "## Invocation\n\n> [!question] Which type does S3 use?\n> - [x] Async\n> - [ ] Sync\n"
    tree = parse_note(body)
    [callout] = tree.callouts
    assert isinstance(callout, Callout)
    assert callout.title == "Which type does S3 use?"
    assert callout.heading_path == ("Invocation",)
    assert [text.strip() for _, text in callout.lines] == ["- [x] Async", "- [ ] Sync"]
    assert [type(block).__name__ for block in tree.blocks] == ["Heading"]


def test_links_are_found_once_with_one_pattern_and_the_page_shows_the_same_ones():
    body = "See [[Limits#Memory|memory]] and ![[chart.png]].\n\n`[[not a link]]`\n"
    tree = parse_note(body)
    rendered = render_note(body, lines=tree.lines)
    assert [(ref.target, ref.heading, ref.alias) for ref in tree.links] == [
        ("Limits", "Memory", "memory"),
        ("chart.png", None, None),
    ]
    assert [(link.target, link.heading) for link in rendered.links] == [("Limits", "Memory")]
    assert [embed.name for embed in rendered.embeds] == ["chart.png"]


def test_comments_are_hidden_from_the_cards_and_from_the_page_alike():
    body = "%% private: Max timeout? :: 1 hour %%\n- Max memory? :: 10,240 MB %%aside%%\n"
    tree = parse_note(body)
    html = render_note(body, lines=tree.lines).html
    assert "private" not in html and "aside" not in html
    assert [item.text for block in tree.blocks for item in block.items] == [
        "Max memory? :: 10,240 MB"
    ]


def test_a_fence_inside_a_quote_is_code_for_cards_too():
    tree = parse_note("> ```\n> Timeout: 900 seconds\n> ```\n")
    assert tree.blocks == [] and len(tree.code) == 1


@given(st.lists(st.sampled_from(["`", "``", "```", "a", " ", "b c"]), max_size=16).map("".join))
def test_code_spans_are_the_ones_the_pattern_finds(text):
    assert code_spans(text) == [match.span() for match in CODE_SPAN.finditer(text)]


def test_a_long_run_of_backticks_is_read_in_one_pass():
    # The pattern backtracks over every length of the run: minutes for this line.
    line = "[[x]] " + "`" * 2_000 + "y" * 200_000
    assert code_spans(line) == [], "no later run closes it"
    assert code_spans(line + "``z") == [(6, len(line) + 2)], "the longest later run that fits"
    [(_, _, ref)] = wikilinks(line, 1)
    assert ref.target == "x"
