"""The Python-Markdown configuration for our notes: extensions, cloze marks and heading ids.

Pure: no Django import. Its output is not safe HTML until it has been through sanitize().
"""

import re
import sys
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor

from .calcblocks import CUSTOM_FENCES

# {{c1::text}} and {{c1::text::hint}}, the Anki cloze syntax. Text stops at the first "::" or
# "}}" and both parts are bounded, so a line of unclosed "{{c1::" cannot backtrack for minutes.
CLOZE = r"\{\{c\d+::((?:(?!::|\}\}).){1,500})(?:::((?:(?!\}\}).){0,200}))?\}\}"

# Python-Markdown's link patterns scan from each "[" to the end of the paragraph for its "]", a
# character at a time in Python: a link's text is looked for within this many characters.
LINK_TEXT_LIMIT = 300
LINK_PROCESSORS = [
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
]

# Inline processors each of whose matches holds one of these characters. Over text holding none
# of them their patterns are not run: each took 25-200 ms to find nothing in a line of 1 MB.
NEEDED = {
    "backtick": "`",
    "reference": "[",
    "link": "[",
    "short_reference": "[",
    "magic-link": ":.",  # "://" or "www."
    "magic-mail": "@",
}

EXTENSIONS = [
    "sane_lists",
    "tables",
    "pymdownx.saneheaders",
    "pymdownx.mark",
    "pymdownx.tilde",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tasklist",
    "pymdownx.magiclink",
]

CONFIGS = {
    # Alignment as `align=` (kept by the sanitiser) instead of a style attribute (removed).
    "tables": {"use_align_attribute": True},
    # Plain <pre><code class="language-x"> rather than Pygments spans.
    "pymdownx.highlight": {"use_pygments": False},
    # Only ~~strike~~: a single tilde means "about" in notes ("~100 ms"), not a subscript.
    "pymdownx.tilde": {"subscript": False},
    # ```lambda-pricing and ```lambda-limits become calculator placeholders (calcblocks.py).
    "pymdownx.superfences": {"custom_fences": CUSTOM_FENCES},
}


def heading_id(text: str) -> str:
    """The id a heading with this plain text gets (before de-duplication): `#lambda-limits`."""
    return slugify_unicode(text, "-")


class ClozeProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        mark = etree.Element("mark", {"class": "cloze"})
        mark.text = m.group(1)
        return mark, m.start(0), m.end(0)


class ClozeExtension(markdown.Extension):
    def extendMarkdown(self, md):
        # After code spans (190) and escapes (180), before links and emphasis, so the
        # cloze text is still rendered as Markdown.
        md.inlinePatterns.register(ClozeProcessor(CLOZE, md), "cloze", 175)


class BoundedLinksExtension(markdown.Extension):
    """Link text is looked for within LINK_TEXT_LIMIT characters of its "[", not to the end."""

    def extendMarkdown(self, md):
        for name in LINK_PROCESSORS:
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                processor.getText = _bounded(processor.getText)


def _bounded(get_text):
    def get_text_within_limit(data: str, index: int):
        return get_text(data[: index + LINK_TEXT_LIMIT], index)

    return get_text_within_limit


class NeededCharactersExtension(markdown.Extension):
    """Inline patterns are not run over text that holds none of the characters they need."""

    def extendMarkdown(self, md):
        for name, characters in NEEDED.items():
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                processor.compiled_re = _Needs(processor.compiled_re, characters)


class _Needs:
    """A compiled pattern that finds nothing in text lacking all of `characters`, without
    reading it."""

    def __init__(self, pattern: re.Pattern, characters: str):
        self.pattern = pattern
        self.characters = characters

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize):
        if any(character in string for character in self.characters):
            return self.pattern.finditer(string, pos, endpos)
        return iter(())

    def __getattr__(self, name: str):
        return getattr(self.pattern, name)


_instances = threading.local()


def instance(kind: str, *, slugify: Callable[[str, str], str] | None = None) -> markdown.Markdown:
    """A reset Markdown instance, built once per thread and kind ("note" or "fragment").

    Building one costs about 2 ms (extension set-up), far more than converting a short note,
    so instances are reused; `slugify` is fixed by the first call for that kind.
    """
    md = getattr(_instances, kind, None)
    if md is None:
        md = build(slugify=slugify)
        setattr(_instances, kind, md)
    md.reset()
    return md


def build(*, slugify: Callable[[str, str], str] | None) -> markdown.Markdown:
    """A fresh Markdown instance; with `slugify`, headings get ids from it (toc)."""
    extensions: list = [
        *EXTENSIONS,
        ClozeExtension(),
        BoundedLinksExtension(),
        NeededCharactersExtension(),
    ]
    configs = dict(CONFIGS)
    if slugify is not None:
        extensions.append("toc")
        configs["toc"] = {"marker": "", "slugify": slugify}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)
