"""Rewrite a note's lines so Python-Markdown reads them the way Obsidian does.

Pure: no Django import. It walks the lines as the note tree read them (cards.content.tree.lex),
so the page and the cards agree on what every line is. It moves indentation, adds blank lines
and private-use markers, and hides comments, but never drops what the author wrote. Markers:
LINE_OPEN n LINE_CLOSE before the content of source line n, TOKEN_OPEN i TOKEN_CLOSE in place of
the i-th wikilink or embed.
"""

import re
from dataclasses import dataclass, field, replace

from cards.content.tree import TAB, Line, code_spans, lex
from cards.content.wikilinks import WikiRef

LINE_OPEN, LINE_CLOSE = "\ue000", "\ue001"
TOKEN_OPEN, TOKEN_CLOSE = "\ue002", "\ue003"
LINE_MARKER = re.compile(f"{LINE_OPEN}(\\d+){LINE_CLOSE}")
BRACKET = "\ue004"  # a "[" Markdown must not see; _fill puts it back
TOKEN_MARKER = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
# Two more markers, made of characters the tree takes out of every note so no note can write
# them: a "<" that opens no tag (_fill puts back "&lt;"), and where the rest of a note, shown as
# written, goes (see WORK_BUDGET).
LESS_THAN = f"{TOKEN_OPEN}lt{TOKEN_CLOSE}"
# No marker is left in a page once its links are filled in, so the rest of a note can carry its
# "<" and ">" past the sanitiser as these two (markdown/__init__.py, _sanitized_with_rest).
REST_LESS_THAN, REST_GREATER_THAN = TOKEN_OPEN, TOKEN_CLOSE
REST_MARKER = f"{LINE_OPEN}rest{LINE_CLOSE}"

# Python-Markdown's raw-HTML reader (html.parser) scans from every "<" for the end of a tag and,
# when there is none, starts again at the next "<": 20,000 of "<a " took a minute. A "<" that
# is not closed by ">" before the next "<" cannot open a tag, so it is hidden from Markdown.
UNCLOSED_LESS_THAN = re.compile(r"<(?![^<>]*>)")

# Python-Markdown costs about 0.1 ms for a line of a busy note, and about as much for every
# four inline marks; every inline match also goes over the rest of its paragraph again, so a
# paragraph costs its marks times its length. Past this many lines' worth of work (about a
# second), the rest of the note is shown as written: escaped, with its line anchors, and with a
# warning.
WORK_BUDGET = 8_000
MARKS_PER_LINE = 4
BLANK_LINES = 2  # a blank line ends a block, which costs about a line more
HEADING_LINES = 3  # a heading costs about three lines (its id, its anchor, its toc entry)
ITEM_LINES = 2  # a list item about two, and a quarter more per list it is nested in
# Marks x characters of a paragraph worth one line of work: some inline processors (==mark==,
# ~~strike~~) scan the paragraph in Python again after every match, 8,000 "=" before 100 e-mail
# addresses took 1.4 s.
COPIED_CHARS_PER_LINE = 2_000
MARKS = "`*_=~[]!<>&{}\\@:|"
_NOT_MARKS = str.maketrans("", "", MARKS)

# Python-Markdown scans ahead from every "[" for its match, so thousands of them in one paragraph
# take minutes; past this many in a note the rest are hidden from it and shown as plain text.
BRACKET_BUDGET = 2000

# Python-Markdown parses nested lists recursively; hundreds of levels exhaust the stack.
MAX_LIST_DEPTH = 40
# It reads a blockquote again at every level it is nested: a line of 1,000,000 ">" took 14 s.
# Deeper quote markers than this are not passed on (the text inside them is).
MAX_QUOTE_DEPTH = 10


@dataclass
class Prepared:
    text: str
    refs: list[WikiRef] = field(default_factory=list)
    # The lines past the work budget, shown as written where REST_MARKER stands.
    rest: list[Line] = field(default_factory=list)


@dataclass
class _Fence:
    old_indent: int
    new_indent: int
    closing: str  # what closes it, for a fence the note never closes
    raw: bool = False  # inside raw HTML: Python-Markdown sees its lines as HTML


def _dedent(text: str, columns: int) -> str:
    width, position = 0, 0
    while position < len(text) and width < columns and text[position] in " \t":
        width += 1 if text[position] == " " else TAB - width % TAB
        position += 1
    return text[position:]


class _Preparer:
    def __init__(self, anchors: bool):
        self.anchors = anchors
        self.out: list[str] = []
        self.refs: list[WikiRef] = []
        self.items: list[int] = []  # source indents of the open list items, outermost first
        self.fence: _Fence | None = None
        self.in_html = False
        self.previous_blank = True
        self.after_fence = False
        self.top_ordered = False
        self.quote_depth = 0
        self.brackets = 0
        self.work = 0.0
        self.paragraph_marks = 0  # marks and characters of the current run of lines
        self.paragraph_chars = 0
        self.rest: list[Line] | None = None

    def marker(self, number: int) -> str:
        return f"{LINE_OPEN}{number}{LINE_CLOSE}" if self.anchors else ""

    def inline(self, line: Line, start: int) -> str:
        """The line's content from `start`, its wikilinks swapped for numbered tokens (each
        remembered) and square brackets beyond the note's budget escaped, outside code spans."""
        text = line.content
        refs = [ref for ref in line.refs if ref[0] >= start]
        spans = [span for span in code_spans(text) if span[1] > start]
        pieces, position = [], start
        for code_start, code_end in spans:
            pieces.append(self.prose(text, max(position, start), code_start, refs))
            pieces.append(text[max(code_start, start) : code_end])
            position = code_end
        pieces.append(self.prose(text, max(position, start), len(text), refs))
        return "".join(pieces)

    def prose(self, text: str, start: int, end: int, refs: list) -> str:
        pieces, position = [], start
        for ref_start, ref_end, ref in refs:
            if start <= ref_start and ref_end <= end:
                pieces.append(text[position:ref_start])
                self.refs.append(ref)
                pieces.append(f"{TOKEN_OPEN}{len(self.refs) - 1}{TOKEN_CLOSE}")
                position = ref_end
        pieces.append(text[position:end])
        segment = "".join(pieces)
        self.brackets += segment.count("[")
        if self.brackets > BRACKET_BUDGET:
            segment = segment.replace("[", BRACKET)
        return segment

    def emit(self, line: Line, indent: int, start: int) -> None:
        """Write the line at `indent`: its content up to `start` (a marker such as `- `) as
        written, then the line's anchor, then the rest."""
        prefix, body = line.content[:start], self.inline(line, start)
        self.out.append(f"{line.quote}{' ' * indent}{prefix}{self.marker(line.number)}{body}")

    def blank_line_before(self, quote: str) -> None:
        # Python-Markdown, unlike Obsidian, does not let a list, table or code block interrupt a
        # paragraph, nor a numbered list follow a bulleted one directly.
        if self.out and self.out[-1].strip(" >"):
            self.out.append(quote.rstrip())

    def blank_line_after(self, quote: str) -> None:
        # A heading or rule ends its block. Python-Markdown takes such a line off the front of
        # a block and hands the rest back to every block processor, so a run of them in one
        # block costs the square of its length.
        self.out.append(quote.rstrip())

    def list_level(self, width: int) -> int:
        while self.items and width < self.items[-1] - 1:
            self.items.pop()
        deeper = not self.items or width >= self.items[-1] + 2
        if deeper and len(self.items) < MAX_LIST_DEPTH:
            self.items.append(width)
        return len(self.items) - 1

    def continuation_indent(self, width: int) -> int | None:
        """New indent for an indented line inside a list, or None when it is not in one."""
        depth = sum(1 for item in self.items if item < width)
        if not depth:
            return None
        del self.items[depth:]
        return TAB * depth

    def cost(self, line: Line) -> float:
        """The line's share of Markdown's work, in lines (see WORK_BUDGET)."""
        if line.blank:
            self.paragraph_marks = self.paragraph_chars = 0
            return BLANK_LINES
        text = line.text
        marks = len(text) - len(text.translate(_NOT_MARKS))
        if line.item or line.heading or line.content.startswith("|"):
            # A list item, a heading and a table row are each inline text of their own.
            self.paragraph_marks = self.paragraph_chars = 0
        before = self.paragraph_marks * self.paragraph_chars
        self.paragraph_marks += marks
        self.paragraph_chars += len(text)
        copied = self.paragraph_marks * self.paragraph_chars - before
        lines = HEADING_LINES if line.heading else ITEM_LINES if line.item else 1
        lines += len(self.items) / 4 + line.quote.count(">")
        return lines + marks / MARKS_PER_LINE + copied / COPIED_CHARS_PER_LINE

    def line(self, line: Line) -> None:
        line = _shallower(line)
        if self.rest is None:
            self.work += self.cost(line)
            if self.work > WORK_BUDGET:
                self.rest = []
                if self.fence is not None and not self.fence.raw:
                    self.finish()
                self.fence = None
                self.out += ["", REST_MARKER, ""]
        if self.rest is not None:
            self.rest.append(line)
            return
        if self.fence is not None:
            self.fenced_line(line)
            return
        if line.blank:
            self.out.append(line.text)
            self.previous_blank, self.in_html = True, False
            return
        depth = line.quote.count(">")
        if depth != self.quote_depth:
            self.quote_depth, self.items = depth, []
        if self.after_fence:
            self.blank_line_before(line.quote)
            self.after_fence = False
        self.content_line(line)
        self.previous_blank = False

    def fenced_line(self, line: Line) -> None:
        fence = self.fence
        if line.closing:
            self.fence, self.after_fence = None, not fence.raw
        if fence.raw:
            self.out.append(line.text)
            return
        rest = _dedent(line.rest, fence.old_indent)
        self.out.append(f"{line.quote}{' ' * fence.new_indent}{rest}")

    def content_line(self, line: Line) -> None:
        width, content = line.indent, line.content
        if self.in_html or line.html_block():
            self.in_html = True
            self.out.append(line.text)
            if line.fence is not None:
                self.fence = _Fence(width, width, "", raw=True)
            return
        if line.fence is not None:
            indent = self.continuation_indent(width) if width else None
            if indent is None:
                self.items, indent = ([] if self.previous_blank else self.items), width
            self.fence = _Fence(width, indent, line.fence.char * line.fence.length)
            self.blank_line_before(line.quote)
            self.out.append(f"{line.quote}{' ' * indent}{content}")
            return
        if line.rule or (line.setext and not self.previous_blank):
            self.items = []
            self.out.append(line.text)
            self.blank_line_after(line.quote)
            return
        if line.delimiter and not self.previous_blank:
            self.table_starts(line.quote)
            self.out.append(line.text)
            return
        if line.reference():
            self.out.append(line.text)
            return
        if line.heading is not None:
            self.items = []
            level = line.heading[0]
            text = content[level:].lstrip(" \t")
            self.emit(line, 0, len(content) - len(text))
            self.blank_line_after(line.quote)
            return
        item = line.item
        if item is not None and not item.marker.endswith(")"):  # Markdown has no `1)` lists
            ordered, starting = item.ordered, not self.items
            level = self.list_level(width)
            if starting or (level == 0 and ordered != self.top_ordered):
                self.blank_line_before(line.quote)
            if level == 0:
                self.top_ordered = ordered
            self.emit(line, TAB * level, len(item.prefix))
            return
        self.text_line(line)

    def table_starts(self, quote: str) -> None:
        """The previous output line is a table's header row: make sure a blank line precedes it."""
        if len(self.out) >= 2 and self.out[-2].strip(" >"):
            self.out.insert(len(self.out) - 1, quote.rstrip())

    def text_line(self, line: Line) -> None:
        width, content = line.indent, line.content
        indent = None
        if self.items and width:
            indent = self.continuation_indent(width)
        if indent is None:
            if self.items and self.previous_blank:
                self.items = []
            indent = width
            if width >= TAB and self.previous_blank:
                # An indented code block: keep its text exactly.
                self.out.append(f"{line.quote}{line.rest}")
                return
        # A table row's leading pipe stays before the anchor, so the cell keeps its place.
        start = len(content) - len(content[1:].lstrip(" \t")) if content.startswith("|") else 0
        self.emit(line, indent, start)

    def finish(self) -> None:
        if self.fence is not None and not self.fence.raw:
            self.out.append(f"{' ' * self.fence.new_indent}{self.fence.closing}")


def _shallower(line: Line) -> Line:
    """The line with at most MAX_QUOTE_DEPTH quote markers."""
    if line.quote.count(">") <= MAX_QUOTE_DEPTH:
        return line
    cut = 0
    for _ in range(MAX_QUOTE_DEPTH):
        cut = line.quote.index(">", cut) + 1
    quote = line.quote[:cut] + " "
    return replace(line, quote=quote, text=quote + line.rest)


def prepare(
    body: str, *, first_line: int = 1, anchors: bool = True, lines: list[Line] | None = None
) -> Prepared:
    """The note body rewritten for Python-Markdown; `lines` are the body's lines as the note tree
    read them (read here when not given)."""
    if lines is None:
        lines, _warnings = lex(body, first_line=first_line)
    preparer = _Preparer(anchors)
    for line in lines:
        preparer.line(line)
    if preparer.rest is None:
        preparer.finish()
    text = UNCLOSED_LESS_THAN.sub(LESS_THAN, "\n".join(preparer.out))
    return Prepared(text, preparer.refs, preparer.rest or [])
