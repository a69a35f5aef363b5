"""The allow-list that makes rendered note HTML safe to mark_safe, built on nh3 (ammonia).

Pure: no Django import. Anything not listed here is removed; never widen it to fix a rendering bug.
"""

import re

import nh3

from .calcblocks import FENCES, PARAMS_TEXT

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

TAGS = HEADINGS | {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip

# Tags removed together with their content: their text is code or chrome, never note prose.
DROPPED_WITH_CONTENT = {
    "applet", "embed", "frame", "frameset", "iframe", "math", "noembed", "noframes", "noscript",
    "object", "script", "select", "style", "svg", "template", "textarea", "xmp",
}  # fmt: skip

ATTRIBUTES = {
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "input": {"checked", "disabled"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "span": {"id"},
    # A calculator placeholder (calcblocks.py); the note page swaps it for our own form.
    "div": {"data-calc", "data-params"},
    **{tag: {"id"} for tag in HEADINGS},
}

# nh3 (html5ever) takes time quadratic in the "&"s of one text node: 400,000 of "a&amp;b" took
# 11 s. Escaped ampersands are carried past it as this character and put back after; one the
# note wrote itself comes back as "&amp;" too, which is how it was shown anyway.
AMPERSAND = "\ue006"


LINE_ANCHOR_ID = re.compile(r"L\d{1,9}")
HEADING_ID = re.compile(r"[\w-]{1,200}")
NUMBER = re.compile(r"\d{1,5}")
ALIGN = {"left", "right", "center"}
CALCULATORS = set(FENCES.values())


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    # `id` is allowed only in the two shapes we generate, so a note cannot clobber page ids
    # with arbitrary values.
    if name == "id":
        pattern = LINE_ANCHOR_ID if tag == "span" else HEADING_ID
        return value if pattern.fullmatch(value) else None
    if name in {"width", "height", "start"}:
        return value if NUMBER.fullmatch(value.strip()) else None
    if name == "align":
        return value if value.lower() in ALIGN else None
    if name == "data-calc":
        return value if value in CALCULATORS else None
    if name == "data-params":
        return value if PARAMS_TEXT.fullmatch(value.replace(AMPERSAND, "&")) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https"},
    link_rel="noopener noreferrer",
    strip_comments=True,
    # Task-list checkboxes are the only inputs we render; a raw <input> in a note becomes one
    # too (a typeless input would be a text box).
    set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
)


def sanitize(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return _CLEANER.clean(html.replace("&amp;", AMPERSAND)).replace(AMPERSAND, "&amp;")
