"""Property tests: notes built to make a parser or a regex go quadratic (runs of markup, deep
nesting, megabyte lines) are read, laid out, turned into cards and fact-checked to the end, and
what comes out has the right shape. How long they take is measured by `make bench`
(pathological_notes), not here.
"""

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cards.content.markdown import render_fragment
from cards.content.pipeline import process_note
from cards.content.source import MAX_LINE_CHARS
from cards.quiz.drafts import MAX_STEM_CHARS

# What a parser or a regex may scan ahead from, or nest on; the issue's list first.
MARKUP = ["[", "(", "<", "*", "=", ":", "`", "[[", "![[", "{{c1::", "<a ", "**", "==", "::"]
MARKUP += ["|", ">", "> ", "#", "- ", "\\", "&", "_", "~~", "]]", ")", "]", "?", "\t", "<!--"]
MARKUP += ["```", "$", "http://a.b ", "a@b.c ", "900 seconds ", "x", " ", "é", "\u200b"]

# Characters the renderer uses as markers, and markup that must never survive sanitising.
PRIVATE = re.compile("[\ue000-\uf8ff]")
TAG = re.compile(r"<[a-zA-Z][^>]*>")
EXECUTABLE = re.compile(r"<script|\son[a-z]+\s*=|href=\"javascript:", re.IGNORECASE)
ANCHOR = re.compile(r'class="line-anchor" id="L(\d+)"')

runs = st.builds(lambda unit, count: unit * count, st.sampled_from(MARKUP), st.integers(1, 20_000))
lines = st.lists(runs, min_size=1, max_size=4).map("".join)
nested_list = st.integers(1, 600).map(
    lambda depth: "\n".join("  " * i + "- x" for i in range(depth))
)
nested_quote = st.integers(1, 5_000).map(lambda depth: ">" * depth + " x")
nested_brackets = st.integers(1, 5_000).map(lambda depth: "[" * depth + "x" + "]" * depth)
short_lines = st.builds(
    lambda unit, count: (unit + "\n") * count, st.sampled_from(MARKUP), st.integers(1, 1_100)
)
parts = st.one_of(lines, nested_list, nested_quote, nested_brackets, short_lines)
# At most five parts of at most 1,100 lines: within the note's 6,000 lines (MAX_NOTE_LINES).
notes = st.builds(
    lambda pieces, joiner: joiner.join(pieces),
    st.lists(parts, min_size=1, max_size=5),
    st.sampled_from(["\n", "\n\n", "", " "]),
)


def megabyte_line(unit: str) -> str:
    return (unit * (MAX_LINE_CHARS // len(unit) + 1))[:MAX_LINE_CHARS]


def assert_whole(text: str) -> None:
    """Everything a note yields, and its shape: nothing leaks, every line number is real."""
    processed = process_note(text, path="pathological.md")
    last = text.count("\n") + 1
    html = processed.html
    # An empty page only for an empty note, or one whose start an unclosed comment hides (and
    # then the note says so).
    hidden = any("is never closed" in issue.message for issue in processed.warnings)
    assert isinstance(html, str) and (html or not text.strip() or hidden)
    assert not PRIVATE.search(html), "the renderer's markers never leak into the page"
    assert not any(EXECUTABLE.search(tag) for tag in TAG.findall(html)), "nothing runs"
    anchors = [int(number) for number in ANCHOR.findall(html)]
    assert len(anchors) == len(set(anchors)) and all(1 <= n <= last for n in anchors)
    for card in processed.cards:
        assert 1 <= card.line <= last and card.key and isinstance(card.front, str)
        assert not PRIVATE.search(card.front + card.back)
    assert all(0 <= issue.line <= last for issue in processed.warnings)
    assert all(1 <= link.line <= last for link in processed.links)
    assert all(1 <= question.line <= last for question in processed.questions)
    assert processed.title
    fragment = render_fragment(text[:MAX_STEM_CHARS])
    assert isinstance(fragment, str) and not PRIVATE.search(fragment)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes)
@example("<a " * 20_000)  # the stem that held a worker for 30 s on every view
@example("[[" * 12_000)  # a 24 KB line of "[[" in the live preview
@example("[[" * 100_000)
@example("![[" * 100_000)
@example("[" * 50_000 + "(" * 50_000)
@example("x\n<div " * 3_000)
@example("`a " * 30_000)
@example("# Limits\n" * 5_999)
@example("It is 900 seconds.\n" * 5_999)
@example("=" * 15_000 + "a@b.c " * 185)  # ==mark== rescans the paragraph after each match
@example("]" * 1_160 + ">" * 436 + "`" * 306 + "=" * 966)  # the code span pattern backtracked
@example("[[x]] " + "`" * 2_000 + "y" * 20_000)
@example("<!--")  # hides the whole note: an empty page, with a warning
def test_a_pathological_note_is_read_to_the_end(text):
    assert_whole(text)


@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.just(None))
@example("[")
@example("(")
@example("<")
@example("*")
@example("=")
@example(":")
@example("`")
@example("<a ")
@example("word ")
@example("900 seconds ")
def test_a_megabyte_line_is_read_to_the_end(unit):
    if unit is not None:
        assert_whole(megabyte_line(unit))
