"""Obsidian-flavoured Markdown to sanitised HTML, for note pages and card faces.

Pure: never imports Django and never raises on odd text. The HTML it returns has been through
sanitize() and may be marked safe; HTML from anywhere else may not.
"""

import html as htmllib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cards.content.source import Issue
from cards.content.tree import Line
from cards.content.wikilinks import WikiRef, image_html, link_html

from .dialect import heading_id, instance
from .prepare import (
    BRACKET,
    LESS_THAN,
    LINE_MARKER,
    REST_GREATER_THAN,
    REST_LESS_THAN,
    REST_MARKER,
    TOKEN_MARKER,
    Prepared,
    prepare,
)
from .sanitize import sanitize

__all__ = [
    "Embed",
    "Link",
    "Rendered",
    "heading_id",
    "render_fragment",
    "render_note",
    "sanitize",
]

LinkResolver = Callable[[str, str | None], str | None]
EmbedResolver = Callable[[str], str | None]

# A tag as the sanitiser serialises it: attribute values are always double-quoted.
TAG = re.compile(r'(<[^>"]*(?:"[^"]*"[^>"]*)*>)')
TAG_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")
SINGLE_PARAGRAPH = re.compile(r"<p>((?:(?!</?p[\s>]).)*)</p>", re.DOTALL)


@dataclass(frozen=True)
class Link:
    """One [[wikilink]] found in the note."""

    target: str  # the note part, "" for [[#Heading]] in the same note
    heading: str | None
    alias: str | None
    line: int  # 1-based line in the note's full text
    resolved: bool


@dataclass(frozen=True)
class Embed:
    name: str  # "Pasted image 2022.png"
    line: int
    resolved: bool


@dataclass
class Rendered:
    html: str  # sanitised HTML, safe to mark_safe
    links: list[Link] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    headings: list[tuple[int, str, str, int]] = field(default_factory=list)  # level, text, id, line


_current = threading.local()

# Anything that could make a card's text more than escaped words: Markdown punctuation, HTML,
# line structure, bare URLs and e-mail addresses (magiclink).
MARKUP = re.compile(r"[*_=`\[\]<>&{}~!#|\\@:\n\r]|^\s*(?:[-+]|\d+[.)])\s|www\.", re.MULTILINE)


# Card texts are mostly words with **bold**, ==highlights== and `code`; those render the same
# without building a Markdown tree (tests/test_markdown.py checks it against the full path).
NOT_SIMPLE = re.compile(r"[\[\]<>&{}~!#|\\@_\n\r]|://|www\.|mailto:|^\s|^(?:[-+*]|\d+[.)])\s")
CODE_SPAN = re.compile(r"`([^`]+)`")
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
MARK = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
# A cloze front's blank, "[...]", is text to Markdown unless a link's target or label follows it
# (or it starts the text, where "[...]:" would define a link).
CLOZE_BLANK = re.compile(r"(?<=.)\[\.\.\.\](?!\s?[(\[])", re.DOTALL)


def _simple_inline(text: str) -> str | None:
    """HTML for text whose only markup is **bold**, ==mark==, `code` and cloze blanks, or None."""
    if NOT_SIMPLE.search(CLOZE_BLANK.sub("", text) if "[" in text else text):
        return None
    pieces = CODE_SPAN.split(text)  # even indexes: prose; odd: code
    html = []
    for index, piece in enumerate(pieces):
        if index % 2:
            html.append(f"<code>{piece.strip()}</code>")
            continue
        piece = STRONG.sub(r"<strong>\1</strong>", piece)
        piece = MARK.sub(r"<mark>\1</mark>", piece)
        if "`" in piece or "*" in piece or "==" in piece:
            return None  # unpaired markup: let Markdown decide
        html.append(piece)
    return "".join(html).strip()


def _note_slugify(value: str, separator: str) -> str:
    """Heading ids from the heading's plain text, wikilink tokens of the note being rendered
    replaced by their words."""
    return heading_id(_plain_text(value, getattr(_current, "refs", [])))


def render_note(
    body: str,
    *,
    first_line: int = 1,
    resolve_link: LinkResolver | None = None,
    resolve_embed: EmbedResolver | None = None,
    lines: list[Line] | None = None,
) -> Rendered:
    """Render a note's body (the text after front matter, which starts at `first_line`).

    Every source line with content gets `<span class="line-anchor" id="L{n}">` where its content
    starts. `resolve_link(target, heading)` returns the full URL of another note (fragment
    included) or None; `resolve_embed(name)` returns an image URL or None. With no resolver,
    every link to another note, and every image, is reported missing. `lines` are the body's
    lines as its note tree read them; the warnings are the page's own (links, images), the tree
    reports the rest.
    """
    prepared = prepare(body, first_line=first_line, lines=lines)
    refs = prepared.refs
    _current.refs = refs
    md = instance("note", slugify=_note_slugify)
    rendered = Rendered(html="")
    try:
        # Sanitised once, after the links are filled in: the whole page goes through nh3.
        html = _convert(md, prepared, first_line, rendered.warnings)
    finally:
        _current.refs = []
    rendered.headings = [
        (token["level"], _plain_text(name, refs), token["id"], _first_line(name, first_line))
        for token in _flatten(md.toc_tokens)
        for name in [htmllib.unescape(token["name"])]
    ]
    headings = rendered.headings
    pieces = []
    for ref in refs:
        if ref.is_image:
            pieces.append(_embed(ref, resolve_embed, rendered))
        elif not ref.target:
            pieces.append(_heading_link(ref, headings, rendered))
        else:
            pieces.append(_note_link(ref, resolve_link, rendered, quiet=False))
    rendered.html = _callouts(_sanitized_with_rest(_fill(html, refs, pieces), prepared))
    if prepared.rest:
        rendered.warnings.append(
            Issue(
                prepared.rest[0].number,
                "the note is too long or too busy to lay out in full: from here on it is "
                "shown as written",
            )
        )
    rendered.warnings.sort(key=lambda issue: issue.line)
    return rendered


def render_fragment(
    text: str,
    *,
    resolve_link: LinkResolver | None = None,
    resolve_embed: EmbedResolver | None = None,
) -> str:
    """Render a card's front or back: the note dialect, sanitised, with no anchors or heading ids.

    A single paragraph comes back without its `<p>`, so it fits in a label or a button. With no
    resolver, wikilinks are plain text spans (a card has no page to be broken on); a resolver
    gets target "" for `[[#Heading]]`, meaning the card's own note.
    """
    if not MARKUP.search(text):
        return htmllib.escape(text, quote=False)  # plain words: nothing for Markdown to do
    fast = _simple_inline(text)
    if fast is not None:
        return fast
    prepared = prepare(text, anchors=False)
    refs = prepared.refs
    sink = Rendered(html="")
    html = sanitize(_convert(instance("fragment"), prepared, 1, sink.warnings))
    pieces = [
        _embed(ref, resolve_embed, sink)
        if ref.is_image
        else _note_link(ref, resolve_link, sink, quiet=resolve_link is None)
        for ref in refs
    ]
    html = sanitize(_with_rest(_fill(html, refs, pieces), prepared, anchors=False)).strip()
    single = SINGLE_PARAGRAPH.fullmatch(html)
    return single.group(1) if single else html


def _convert(md, prepared: Prepared, first_line: int, warnings: list[Issue] | None = None) -> str:
    try:
        return md.convert(prepared.text)
    except RecursionError:
        # Python-Markdown recurses per nesting level; show the text rather than fail the page.
        message = "nested too deeply to render; shown as plain text"
        if warnings is not None:
            warnings.append(Issue(first_line, message))
        md.toc_tokens = []
        return f"<pre>{htmllib.escape(prepared.text)}</pre>"


def _flatten(tokens: list[dict]) -> Iterator[dict]:
    for token in tokens:
        yield token
        yield from _flatten(token["children"])


def _plain_text(value: str, refs: list[WikiRef]) -> str:
    value = TOKEN_MARKER.sub(lambda match: refs[int(match.group(1))].display, value)
    return LINE_MARKER.sub("", value).replace(LESS_THAN, "<").strip()


def _first_line(value: str, default: int) -> int:
    match = LINE_MARKER.search(value)
    return int(match.group(1)) if match else default


def _embed(ref: WikiRef, resolve: EmbedResolver | None, rendered: Rendered) -> str:
    url = resolve(ref.target) if resolve else None
    rendered.embeds.append(Embed(ref.target, ref.line, url is not None))
    if url is None:
        rendered.warnings.append(Issue(ref.line, f"missing image {ref.source}"))
    return image_html(ref, url)


def _note_link(
    ref: WikiRef, resolve: LinkResolver | None, rendered: Rendered, *, quiet: bool
) -> str:
    url = resolve(ref.target, ref.heading) if resolve and (ref.target or ref.heading) else None
    rendered.links.append(Link(ref.target, ref.heading, ref.alias, ref.line, url is not None))
    if quiet:
        return link_html(ref, url, broken_title=None)
    if url is None:
        rendered.warnings.append(Issue(ref.line, f"broken link to {ref.source}"))
    return link_html(ref, url, broken_title=f"No note called “{ref.target}”")


def _heading_link(ref: WikiRef, headings: list[tuple], rendered: Rendered) -> str:
    wanted = " ".join((ref.heading or "").split()).casefold()
    slug = heading_id(ref.heading or "")
    anchor = next((id_ for _, text, id_, _ in headings if text.casefold() == wanted), None)
    anchor = anchor or next((id_ for _, _, id_, _ in headings if wanted and id_ == slug), None)
    rendered.links.append(Link("", ref.heading, ref.alias, ref.line, anchor is not None))
    if anchor is None:
        rendered.warnings.append(Issue(ref.line, f"broken link to {ref.source}"))
    title = f"No heading called “{ref.heading}” in this note"
    return link_html(ref, f"#{anchor}" if anchor else None, broken_title=title)


# Obsidian callouts: "> [!note] Title" starts a blockquote; after sanitising, such a blockquote
# gets classes and its title in bold (the type is letters only, the title already escaped text).
CALLOUT = re.compile(
    r'<blockquote>\n<p>((?:<span class="line-anchor" id="L\d+"></span>)?)'
    r"\[!([A-Za-z]{1,20})\][+-]?[ \t]*([^\n<]*)"
)


def _callouts(html: str) -> str:
    def styled(match: re.Match) -> str:
        kind = match.group(2).lower()
        title = match.group(3).strip() or kind.title()
        return (
            f'<blockquote class="callout callout-{kind}">\n<p>{match.group(1)}'
            f'<strong class="callout-title">{title}</strong><br>'
        )

    return CALLOUT.sub(styled, html)


def _fill(html: str, refs: list[WikiRef], pieces: list[str]) -> str:
    """Turn line markers into anchors and tokens into links; the caller sanitises the result.

    Inside a tag a marker is dropped and a token is put back as written; inside code a token is
    put back as written too, since the author was showing the syntax.
    """

    def as_written(match: re.Match) -> str:
        return htmllib.escape(refs[int(match.group(1))].source)

    def anchor(match: re.Match) -> str:
        return f'<span class="line-anchor" id="L{match.group(1)}"></span>'

    out, code_depth = [], 0
    for index, part in enumerate(TAG.split(html)):
        if index % 2:
            name = TAG_NAME.match(part)
            if name and name.group(2).lower() in {"code", "pre"}:
                code_depth = max(0, code_depth + (-1 if name.group(1) else 1))
            out.append(TOKEN_MARKER.sub(as_written, LINE_MARKER.sub("", part)))
            continue
        part = LINE_MARKER.sub(anchor, part)
        if code_depth:
            out.append(TOKEN_MARKER.sub(as_written, part))
        else:
            out.append(TOKEN_MARKER.sub(lambda match: pieces[int(match.group(1))], part))
    return "".join(out).replace(BRACKET, "[").replace(LESS_THAN, "&lt;")


REST_PARAGRAPH = re.compile(f"(?:<p>)?{REST_MARKER}(?:</p>)?")


def _with_rest(html: str, prepared: Prepared, *, anchors: bool, marked: bool = False) -> str:
    """The lines past the work budget where their marker stands: escaped, as written, each
    with its line anchor, in a block that keeps their line breaks. `marked`: "<" and ">" are
    written as markers instead of "&lt;" and "&gt;"."""
    if not prepared.rest:
        return html
    block = _rest_block(prepared, anchors=anchors, marked=marked)
    return REST_PARAGRAPH.sub(lambda _match: block, html, count=1)


def _rest_block(prepared: Prepared, *, anchors: bool, marked: bool = False) -> str:
    def escaped(text: str) -> str:
        if marked:
            text = text.replace("&", "&amp;")
            return text.replace("<", REST_LESS_THAN).replace(">", REST_GREATER_THAN)
        return htmllib.escape(text, quote=False)

    lines = [
        (f'<span class="line-anchor" id="L{line.number}"></span>' if anchors else "")
        + escaped(line.text)
        for line in prepared.rest
    ]
    return '<div class="note-rest">' + "\n".join(lines) + "</div>"


def _sanitized_with_rest(html: str, prepared: Prepared) -> str:
    """sanitize(_with_rest(html, prepared)) for a note page. The sanitiser decodes every "&lt;"
    and "&gt;" of the rest (a megabyte of "<" took 0.7 s), so they are carried past it as
    markers and put back after. Where the rest is not read as a block of text (inside raw text
    such as <plaintext>, or inside a tag the note left open) the markers would not stand for
    what "&lt;" stands for there, so the rest is sanitised as escaped text after all."""
    if not any("<" in line.text or ">" in line.text for line in prepared.rest):
        return sanitize(_with_rest(html, prepared, anchors=True))
    whole = sanitize(_with_rest(html, prepared, anchors=True, marked=True))
    if sanitize(_rest_block(prepared, anchors=True, marked=True)) in whole:
        return whole.replace(REST_LESS_THAN, "&lt;").replace(REST_GREATER_THAN, "&gt;")
    return sanitize(_with_rest(html, prepared, anchors=True))
