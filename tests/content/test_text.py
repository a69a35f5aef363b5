"""Inline text: sentences are found in one pass, however the punctuation runs."""

import re

from hypothesis import given
from hypothesis import strategies as st

from cards.content.text import SENTENCE_END, sentences

# The pattern as it was, tried from every mark of a run.
EVERY_MARK = re.compile(r"[.!?]+[\"')\]*_=]*\s+")


@given(st.lists(st.sampled_from([".", "!", "?", '"', ")", " ", "\n", "a", "B", "="])).map("".join))
def test_sentence_ends_are_the_ones_found_from_every_mark(text):
    assert [m.span() for m in SENTENCE_END.finditer(text)] == [
        m.span() for m in EVERY_MARK.finditer(text)
    ]


def test_a_run_of_question_marks_and_a_run_of_abbreviations_are_read_once():
    # Each took seconds, growing with the square of the run.
    assert sentences("Why" + "?" * 20_000 + "> x") == [(0, "Why" + "?" * 20_000 + "> x")]
    assert len(sentences("e.g. A " * 50_000)) == 1, "no abbreviation ends a sentence"
    assert sentences("It is. So it is.") == [(0, "It is."), (7, "So it is.")]
