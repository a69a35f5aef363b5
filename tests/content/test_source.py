"""Reading a note's bytes: what is refused before any parsing starts."""

import pytest

from cards.content.source import MAX_LINE_CHARS, MAX_NOTE_LINES, SourceError, read_source


def test_a_note_of_too_many_lines_is_refused_with_the_count():
    read_source("- a\n" * (MAX_NOTE_LINES - 1))
    with pytest.raises(SourceError, match="note has 6,001 lines; the limit is 6,000"):
        read_source("- a\n" * MAX_NOTE_LINES)


def test_a_line_too_long_is_refused_with_its_number():
    read_source("# Long\n" + "x" * MAX_LINE_CHARS)
    with pytest.raises(SourceError, match=r"line 2 is 1,048,577 characters long"):
        read_source(b"# Long\n" + b"x" * (MAX_LINE_CHARS + 1) + b"\nend\n")
