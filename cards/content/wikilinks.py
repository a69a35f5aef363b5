"""Obsidian `[[wikilinks]]` and `![[embeds]]`: the one pattern that finds them, their parts, and
their HTML.

Pure: no Django import. URLs come from the caller's resolvers; text is always HTML-escaped here.
"""

import re
from dataclasses import dataclass
from html import escape

# The only pattern in the app that finds a wikilink or an embed (group 1 is "!" for an embed).
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif"}
SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")


@dataclass(frozen=True)
class WikiRef:
    """One `[[...]]` or `![[...]]` as written at `line`."""

    raw: str  # the text between the brackets, as written
    embed: bool
    line: int
    target: str
    heading: str | None
    alias: str | None
    width: str | None = None
    height: str | None = None

    @property
    def source(self) -> str:
        return ("!" if self.embed else "") + f"[[{self.raw}]]"

    @property
    def is_image(self) -> bool:
        return self.embed and self.target.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS

    @property
    def display(self) -> str:
        """What a rendered link shows: its alias, else "Note > Heading"."""
        if self.alias:
            return self.alias
        if self.target and self.heading:
            return f"{self.target} > {self.heading}"
        return self.target or self.heading or ""

    @property
    def words(self) -> str:
        """What the link means in a sentence, for plain text: its alias, else what it names."""
        return self.alias or self.target or self.heading or ""


def parse(raw: str, *, embed: bool, line: int) -> WikiRef:
    """`Note#Heading|alias` (a `\\|` escaped for tables counts as `|`) into its parts."""
    left, _, right = raw.replace("\\|", "|").partition("|")
    target, _, heading = left.partition("#")
    target, heading = target.strip(), heading.strip() or None
    extras = [part.strip() for part in right.split("|")] if right else []
    alias = width = height = None
    for extra in extras:
        size = SIZE.fullmatch(extra) if embed else None
        if size:
            width, height = size.groups()
        elif extra:
            alias = alias or extra
    return WikiRef(raw, embed, line, target, heading, alias, width, height)


def ref_of(match: re.Match, line: int = 0) -> WikiRef:
    """The WikiRef of a WIKILINK match."""
    return parse(match.group(2), embed=bool(match.group(1)), line=line)


def link_html(ref: WikiRef, url: str | None, *, broken_title: str | None) -> str:
    """An `<a class="wikilink">`; with no URL, a visible broken link that goes nowhere."""
    text = escape(ref.display)
    if url is None:
        if broken_title is None:
            return f'<span class="wikilink">{text}</span>'
        return f'<a class="wikilink broken" title="{escape(broken_title)}">{text}</a>'
    return f'<a class="wikilink" href="{escape(url)}">{text}</a>'


def image_html(ref: WikiRef, url: str | None) -> str:
    if url is None:
        return f'<span class="embed-missing">Missing image: {escape(ref.target)}</span>'
    size = "".join(
        f' {name}="{value}"'
        for name, value in (("width", ref.width), ("height", ref.height))
        if value
    )
    alt = escape(ref.alias or ref.target)
    return f'<img class="embed" src="{escape(url)}" alt="{alt}"{size}>'
