import re
from html.parser import HTMLParser

import pytest

from cards.content.markdown import Embed, Link, heading_id, render_fragment, render_note, sanitize
from cards.content.markdown.calcblocks import block_warnings
from cards.content.tree import parse_note


def notes(target, heading):
    """A resolver that knows two notes."""
    if target in {"Lambda limits", "Lambda pricing"}:
        slug = target.lower().replace(" ", "-")
        return f"/notes/{slug}/" + (f"#{heading_id(heading)}" if heading else "")
    return None


def images(name):
    return f"/media/{name}" if name == "Pasted image 2022.png" else None


def text_of(html):
    return re.sub(r"<[^>]+>", "", html)


class Outline(HTMLParser):
    """(depth, text) for each list item, depth 1 for a top-level item."""

    def __init__(self, html):
        super().__init__()
        self.depth, self.items = 0, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in {"ul", "ol"}:
            self.depth += 1
        elif tag == "li":
            self.items.append([self.depth, ""])

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"}:
            self.depth -= 1

    def handle_data(self, data):
        if self.items and not self.items[-1][1]:
            self.items[-1][1] = data.strip()


def outline(html):
    return [tuple(item) for item in Outline(html).items]


class Audit(HTMLParser):
    """Whatever in the HTML could run script or restyle the page."""

    FORBIDDEN = {"script", "style", "iframe", "svg", "math", "object", "embed", "form", "link"}

    def __init__(self, html):
        super().__init__()
        self.problems = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in self.FORBIDDEN:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "action", "formaction"}:
                self.problems.append(f"{tag} {name}=")
            elif name in {"href", "src"} and not re.match(r"(https?:|/|#|[\w .-]+$)", value or ""):
                self.problems.append(f"{tag} {name}={value}")


def anchor_before(html, line, text):
    """True when the anchor for `line` sits right before `text` (tags between are allowed)."""
    anchor = f'<span class="line-anchor" id="L{line}"></span>'
    return re.search(re.escape(anchor) + r"(?:<[^>]+>)*" + re.escape(text), html) is not None


# Lists


@pytest.mark.parametrize("indent", ["\t", "  ", "    "], ids=["tab", "2 spaces", "4 spaces"])
def test_nested_bullets_render_as_nested_lists_whatever_the_indent(indent):
    body = f"- Triggers\n{indent}- S3\n{indent}{indent}- ObjectCreated\n{indent}- SQS\n- Limits\n"
    assert outline(render_note(body).html) == [
        (1, "Triggers"),
        (2, "S3"),
        (3, "ObjectCreated"),
        (2, "SQS"),
        (1, "Limits"),
    ]


def test_deeper_then_shallower_indents_nest_by_position_not_by_count():
    body = "- a\n      - deep\n   - middle\n- b\n"
    assert outline(render_note(body).html) == [(1, "a"), (2, "deep"), (2, "middle"), (1, "b")]


def test_a_list_directly_after_a_paragraph_is_still_a_list():
    html = render_note("Key services:\n- Lambda\n- SQS\n").html
    assert "<ul>" in html and html.count("<li>") == 2, html
    assert "- Lambda" not in html


def test_mixed_bullets_and_numbered_lists_in_one_file_stay_lists():
    html = render_note("- one\n* two\n+ three\n1. first\n2. second\n").html
    assert html.count("<li>") == 5, html
    assert "<ul>" in html and "<ol>" in html, "the numbered items start their own list"


def test_numbered_list_with_nested_bullets_indented_three_spaces():
    html = render_note("1. Create function\n   - choose runtime\n2. Deploy\n").html
    assert outline(html) == [(1, "Create function"), (2, "choose runtime"), (1, "Deploy")]


def test_fenced_code_inside_a_list_item_stays_in_the_item():
    body = "1. Invoke it:\n   ```bash\n   aws lambda invoke out.json\n   ```\n2. Read the log\n"
    html = render_note(body).html
    assert re.search(r"<li>.*Invoke it:.*<pre[^>]*><code[^>]*>aws lambda invoke", html, re.S)
    assert html.count("<li>") == 2, "the second item is not swallowed by the code block"


def test_task_list_items_render_as_disabled_checkboxes():
    html = render_note("- [ ] read the FAQ\n- [x] watch the talk\n").html
    assert html.count('type="checkbox"') == 2
    assert html.count('disabled="disabled"') == 2, "a note's checkboxes are not form controls"
    assert "checked" in html.split("watch the talk")[0].rsplit("<li", 1)[1]


# Headings and emphasis


def test_closed_atx_heading_loses_its_closing_hashes():
    rendered = render_note("## AWS Lambda ##\n")
    assert '<h2 id="aws-lambda">' in rendered.html
    assert "#" not in text_of(rendered.html)


def test_headings_may_skip_levels_and_are_listed_with_ids_and_lines():
    rendered = render_note("# Lambda\n\n#### Cold starts\n", first_line=3)
    assert rendered.headings == [(1, "Lambda", "lambda", 3), (4, "Cold starts", "cold-starts", 5)]


def test_a_hashtag_at_the_start_of_a_line_is_not_a_heading():
    html = render_note("#aws #lambda\n").html
    assert "<h1" not in html and "#aws #lambda" in html


def test_all_emphasis_styles_render():
    html = render_note("**b1** __b2__ *i1* _i2_ ~~gone~~\n").html
    assert "<strong>b1</strong>" in html and "<strong>b2</strong>" in html
    assert "<em>i1</em>" in html and "<em>i2</em>" in html
    assert "<del>gone</del>" in html


def test_highlight_renders_as_mark():
    html = render_note("Timeout is ==900 seconds== at most.\n").html
    assert "<mark>900 seconds</mark>" in html


def test_unclosed_highlight_is_left_as_text():
    html = render_note("a == b and ==open\n").html
    assert "<mark>" not in html and "==open" in html


def test_a_single_tilde_means_about_not_subscript():
    html = render_note("cold start ~100 ms and ~200 ms\n").html
    assert "<sub>" not in html and "~100 ms" in html


# Wikilinks and embeds


def test_resolved_wikilink_points_at_the_note():
    rendered = render_note("See [[Lambda limits]].\n", resolve_link=notes)
    assert '<a class="wikilink" href="/notes/lambda-limits/"' in rendered.html
    assert rendered.links == [Link("Lambda limits", None, None, 1, True)]
    assert rendered.warnings == []


def test_wikilink_alias_is_the_visible_text():
    html = render_note("[[Lambda limits|the limits]]\n", resolve_link=notes).html
    assert ">the limits</a>" in html and "Lambda limits" not in text_of(html)


def test_wikilink_to_a_heading_passes_the_heading_to_the_resolver():
    rendered = render_note("[[Lambda limits#Memory size|memory]]\n", resolve_link=notes)
    assert 'href="/notes/lambda-limits/#memory-size"' in rendered.html
    assert rendered.links == [Link("Lambda limits", "Memory size", "memory", 1, True)]


def test_broken_wikilink_stays_visible_marked_and_reported():
    rendered = render_note("intro\n\nSee [[Step Functions]] too.\n", resolve_link=notes)
    assert '<a class="wikilink broken" title="No note called “Step Functions”"' in rendered.html
    assert "Step Functions" in text_of(rendered.html), "the link text must not be dropped"
    assert "href" not in rendered.html.split("wikilink broken")[1].split(">")[0]
    assert rendered.links == [Link("Step Functions", None, None, 3, False)]
    assert [(w.line, w.message) for w in rendered.warnings] == [
        (3, "broken link to [[Step Functions]]")
    ]


def test_without_a_resolver_every_note_link_is_broken():
    rendered = render_note("[[Lambda limits]]\n")
    assert rendered.links[0].resolved is False and "broken" in rendered.html


def test_same_note_heading_link_needs_no_resolver():
    rendered = render_note("Jump to [[#Cold starts]].\n\n## Cold starts\n")
    assert '<a class="wikilink" href="#cold-starts"' in rendered.html
    assert rendered.links == [Link("", "Cold starts", None, 1, True)]


def test_same_note_link_to_a_missing_heading_is_broken():
    rendered = render_note("[[#Nowhere]]\n")
    assert "wikilink broken" in rendered.html
    assert rendered.warnings[0].message == "broken link to [[#Nowhere]]"


def test_wikilink_with_escaped_pipe_works_inside_a_table():
    body = "| Topic | Note |\n|---|---|\n| limits | [[Lambda limits\\|see]] |\n"
    html = render_note(body, resolve_link=notes).html
    assert re.search(r"<td>.*>see</a></td>", html), html
    assert html.count("<td>") == 2, "the escaped pipe does not split the cell"


def test_wikilink_in_inline_code_is_shown_as_written():
    rendered = render_note("Write `[[Note]]` to link.\n")
    assert "<code>[[Note]]</code>" in rendered.html and rendered.links == []


def test_found_embed_becomes_an_image():
    rendered = render_note("![[Pasted image 2022.png]]\n", resolve_embed=images)
    assert '<img class="embed" src="/media/Pasted image 2022.png"' in rendered.html
    assert rendered.embeds == [Embed("Pasted image 2022.png", 1, True)]


def test_embed_width_is_kept():
    html = render_note("![[Pasted image 2022.png|300]]\n", resolve_embed=images).html
    assert 'width="300"' in html


def test_missing_embed_shows_a_placeholder_and_warns():
    rendered = render_note("text\n![[diagram.png]]\n", resolve_embed=images)
    assert '<span class="embed-missing">Missing image: diagram.png</span>' in rendered.html
    assert rendered.embeds == [Embed("diagram.png", 2, False)]
    assert rendered.warnings[0].line == 2


def test_embedding_a_note_links_to_it():
    rendered = render_note("![[Lambda pricing]]\n", resolve_link=notes)
    assert 'href="/notes/lambda-pricing/"' in rendered.html and rendered.embeds == []


# Cards written in notes, tables, code


def test_cloze_renders_as_a_cloze_mark_and_hides_the_hint():
    html = render_note("Max timeout {{c1::900 **seconds**::time}}.\n").html
    assert '<mark class="cloze">900 <strong>seconds</strong></mark>' in html
    assert "time" not in text_of(html).replace("timeout", "")


def test_explicit_card_lines_keep_their_colons():
    html = render_note("Max memory::10,240 MB\nRuntime:::Python\n").html
    assert "Max memory::10,240 MB" in html and "Runtime:::Python" in html


@pytest.mark.parametrize(
    "table",
    [
        "| Limit | Value |\n|---|---|\n| *Timeout* | **900 s** |\n",
        "Limit | Value\n--|--\n*Timeout* | **900 s**\n",
    ],
    ids=["outer pipes", "no outer pipes"],
)
def test_pipe_tables_render_with_emphasis_in_cells(table):
    html = render_note("Limits below\n" + table).html
    assert re.search(r"<table>.*<th>(?:<[^>]+>)*Limit</th>", html, re.DOTALL), html
    assert "<em>Timeout</em>" in html and "<strong>900 s</strong>" in html


def test_table_alignment_survives_without_style_attributes():
    html = render_note("| a | b |\n|:-:|--:|\n| 1 | 2 |\n").html
    assert 'align="center"' in html and "style" not in html


def test_fenced_code_keeps_its_language_and_text():
    html = render_note("```python\ndef handler(event, context):\n    return 1\n```\n").html
    assert '<code class="language-python">def handler(event, context):\n    return 1' in html


def test_unclosed_fence_warns_with_its_line_and_still_shows_the_code():
    body = "intro\n\n```js\nexports.handler = 1\n"
    rendered = render_note(body, first_line=5)
    assert "exports.handler = 1" in rendered.html
    assert [w.line for w in parse_note(body, first_line=5).warnings] == [7]


def test_bare_urls_become_links():
    html = render_note("Docs: https://docs.aws.amazon.com/lambda/\n").html
    assert '<a href="https://docs.aws.amazon.com/lambda/" rel="noopener noreferrer">' in html


# Line anchors


def test_line_anchor_ids_count_lines_of_the_whole_file():
    body = "# Lambda\n\nIntro line\n- bullet on line 7\n"
    html = render_note(body, first_line=4).html
    assert anchor_before(html, 7, "bullet on line 7"), html
    assert anchor_before(html, 4, "Lambda") and anchor_before(html, 6, "Intro line")


def test_every_content_line_gets_exactly_one_anchor():
    body = (
        "## Heading ##\n"
        "para one\n"
        "para two\n"
        "\n"
        "> quoted\n"
        "\n"
        "| a | b |\n"
        "|---|---|\n"
        "| c | d |\n"
        "\n"
        "1. first\n"
        "    - nested\n"
        "\n"
        "```\n"
        "code\n"
        "```\n"
        "\n"
        "---\n"
    )
    html = render_note(body, first_line=10).html
    lines = [int(n) for n in re.findall(r'id="L(\d+)"', html)]
    assert lines == [10, 11, 12, 14, 16, 18, 20, 21], (
        "no anchors on blank, delimiter, fence or rule"
    )


def test_heading_ids_never_contain_line_markers():
    rendered = render_note("text\n\n## Lambda limits\n", first_line=40)
    assert '<h2 id="lambda-limits">' in rendered.html
    assert rendered.headings[0][1] == "Lambda limits"
    assert not re.search("[\ue000-\uf8ff]", rendered.html), "private-use markers leaked"


def test_markers_never_leak_into_attributes_or_code():
    body = "![alt [[x]]](https://x.test/a.png)\n`one\ntwo`\n\n    indented code\n"
    html = render_note(body).html
    assert not re.search("[\ue000-\uf8ff]", html)
    assert 'alt="alt [[x]]"' in html


def test_private_use_characters_in_the_note_cannot_forge_anchors():
    html = render_note("\ue00099\ue001 and \ue0020\ue003\n").html
    assert 'id="L99"' not in html and 'id="L1"' in html


# Fragments


def test_fragment_of_one_line_has_no_paragraph_or_anchor():
    assert render_fragment("Max **timeout**?") == "Max <strong>timeout</strong>?"


def test_fragment_renders_lists_cloze_and_plain_wikilinks():
    html = render_fragment("{{c1::SQS}} and [[Lambda limits|limits]]\n- a\n  - b")
    assert '<mark class="cloze">SQS</mark>' in html
    assert '<span class="wikilink">limits</span>' in html
    assert html.count("<ul>") == 2 and "line-anchor" not in html


def test_fragment_headings_have_no_ids():
    assert render_fragment("## Limits") == "<h2>Limits</h2>"


def test_fragment_is_sanitised():
    assert "script" not in render_fragment("<script>alert(1)</script>x")


# Hostile input


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](  JaVaScRiPt:alert(1) )",
    '<a href="javascript:alert(1)">raw</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<iframe src="https://evil.test"></iframe>',
    "<style>body { display: none }</style>",
    '<p style="position:fixed;top:0">cover</p>',
    "![x](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">data</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<details open ontoggle=alert(1)>x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="evil.swf"></object><embed src="evil.swf">',
    "[[x|<script>alert(1)</script>]]",
    '<form action="javascript:alert(1)"><input type="text" onfocus=alert(1) autofocus></form>',
]


@pytest.mark.parametrize("attack", HOSTILE)
def test_nothing_executable_survives_rendering(attack):
    for html in (render_note(attack + "\n").html, render_fragment(attack), sanitize(attack)):
        assert Audit(html).problems == [], f"{attack!r} left {html!r}"


def test_the_audit_itself_spots_executable_html():
    hostile = '<a href="javascript:x" onclick="y">a</a><p style="z"><script></script>'
    assert len(Audit(hostile).problems) == 4


def test_hostile_resolver_urls_are_still_sanitised():
    html = render_note("[[X]]\n", resolve_link=lambda target, heading: "javascript:alert(1)").html
    assert "javascript" not in html


def test_raw_html_formatting_is_allowed_through():
    html = render_note("H<sub>2</sub>O is <b>water</b><br>ok\n").html
    assert "<sub>2</sub>" in html and "<b>water</b>" in html and "<br>" in html


def test_links_get_noopener():
    html = render_note("[AWS](https://aws.amazon.com)\n").html
    assert 'rel="noopener noreferrer"' in html


def test_raw_html_cannot_set_arbitrary_ids():
    html = render_note('<div id="csrf-token">x</div>\n\n<span id="main">y</span>\n').html
    assert "csrf-token" not in html and 'id="main"' not in html


# Malformed input


@pytest.mark.parametrize(
    "body",
    [
        "```\nnever closed",
        "==open highlight\n**open bold\n[open link(",
        "tab\tin\tline\n\t\t\t- deep",
        "ctrl \x00\x01\x07\x1b chars",
        "mis-encoded â†’ arrow and Ã© accent",
        "old mac\rline ends\r\nand windows",
        "- \n-\n1.\n#\n>\n|\n||\n[[]]\n![[]]\n{{c1::}}\n[[#]]",
        "<div>\nunclosed raw html\n\n# heading after",
    ],
)
def test_malformed_notes_render_without_crashing(body):
    rendered = render_note(body)
    assert isinstance(rendered.html, str)


def test_mis_encoded_text_is_kept_as_written():
    assert "â†’" in render_note("A â†’ B\n").html


def test_pathological_brackets_render_and_are_all_shown():
    # How long such notes take is measured by `make bench` (pathological_notes), not here.
    html = render_note("[[" * 20000 + "\n" + "[\n" * 5000).html
    assert html.count("[") == 45000, "the brackets are still shown"


def test_pathological_cloze_and_nesting_render_and_are_all_shown():
    assert "{{c1::" * 3000 in render_note("{{c1::" * 3000 + "\n").html
    rendered = render_note("\n".join("  " * depth + "- x" for depth in range(600)))
    assert rendered.html.count("<li>") == 600, "every item is still shown"


def test_unclosed_tags_render_as_text_not_as_html():
    # A personal data file once carried a question stem of 20,000 "<a ": a minute per view.
    html = render_fragment("<a " * 20000)
    assert html.count("&lt;a ") == 20000 and "<a" not in html, "shown as written"
    assert render_note("x\n<div " * 3000).html.count("&lt;div ") == 3000, "unclosed: text"
    note = render_note("x <div \n\n<b>bold</b> and <i>kept</i> a < b\n").html
    assert "x &lt;div" in note and "<b>bold</b> and <i>kept</i> a &lt; b" in note, "closed: HTML"


def test_unclosed_tags_in_code_and_headings_are_shown_as_written():
    rendered = render_note("# Compare a < b\n\n`x <y` and\n\n```\nif a <b\n```\n")
    assert rendered.headings[0][1] == "Compare a < b"
    assert "<code>x &lt;y</code>" in rendered.html and "if a &lt;b" in rendered.html


def test_a_note_too_busy_to_lay_out_in_full_shows_the_rest_as_written():
    body = "# Busy\n\n" + "".join(f"- **item {i}** <b>{i}</b>\n" for i in range(3, 5003))
    rendered = render_note(body)
    rest = rendered.html.split('<div class="note-rest">')[1]
    first = int(re.search(r'id="L(\d+)"', rest).group(1))
    assert 100 < first < 5000, "the first lines are laid out, the rest shown as written"
    assert f"- **item {first}** &lt;b&gt;{first}&lt;/b&gt;" in rest
    anchors = set(map(int, re.findall(r'class="line-anchor" id="L(\d+)"', rendered.html)))
    assert {1, *range(3, 5003)} <= anchors, "every line keeps its anchor"
    assert any("shown as written" in w.message and w.line == first for w in rendered.warnings)


def test_a_quote_nested_deeper_than_ten_levels_keeps_its_text_at_ten():
    html = render_note("> " * 100 + "deep text\n").html
    assert html.count("<blockquote>") == 10 and "deep text" in html
    assert "<blockquote>" not in render_note(">" * 100_000 + "\n").html[10 * 13 :]


def test_ampersands_are_all_kept_however_many():
    # nh3 took 11 s for 400,000 of them in one paragraph; they are carried around it.
    note = "&copy; &amp; &#38; [x](https://e.org/?a=1&b=2)\n\n" + "a&b " * 1000 + "\n"
    html = render_note(note + "\n" + "a&b " * 50_000).html
    assert "© &amp; &amp; " in html and 'href="https://e.org/?a=1&amp;b=2"' in html
    assert html.count("a&amp;b") == 51_000, "in the page and in the rest shown as written"


def test_many_headings_of_the_same_name_get_distinct_ids():
    rendered = render_note("# Limits\n" * 1500)
    ids = [heading[2] for heading in rendered.headings]
    assert len(set(ids)) == len(ids) and ids[:3] == ["limits", "limits_1", "limits_2"]


# --- Calculator blocks -----------------------------------------------------------------------


def calculator_warnings(body, *, first_line=1):
    return block_warnings(parse_note(body, first_line=first_line).code)


PRICING_BLOCK = (
    "Intro.\n\n```lambda-pricing\nrequests: 5000000\nduration_ms: 200\nmemory_mb: 512\n```\n"
)


def test_a_pricing_block_renders_as_a_calculator_placeholder():
    rendered = render_note(PRICING_BLOCK)
    assert (
        '<div class="calc-embed" data-calc="pricing" '
        'data-params="requests=5000000&amp;duration_ms=200&amp;memory_mb=512"></div>'
    ) in rendered.html
    assert "<pre" not in rendered.html, "the block is not shown as code"
    assert rendered.warnings == [] and calculator_warnings(PRICING_BLOCK) == []


def test_a_limits_block_inside_a_list_item_renders_as_a_placeholder():
    html = render_note(
        "- Check:\n    ```lambda-limits\n    memory_mb: 20000\n    layers: 6\n    ```\n"
    ).html
    assert 'data-calc="limits" data-params="memory_mb=20000&amp;layers=6"' in html


def test_a_misspelt_key_in_a_calculator_block_is_a_warning_with_its_line():
    body = "Intro.\n\n```lambda-pricing\nrequests: 5000000\nmemroy_mb: 512\n```\n"
    rendered = render_note(body, first_line=4)
    warnings = calculator_warnings(body, first_line=4)
    assert [issue.line for issue in warnings] == [8], "the line of `memroy_mb` in the note"
    assert "lambda-pricing block: unknown key 'memroy_mb'" in warnings[0].message
    assert 'data-params="requests=5000000"' in rendered.html, "the good keys are still used"


def test_bad_values_in_a_calculator_block_are_warnings_and_left_out():
    body = "```lambda-pricing\nrequests: lots\narch: sparc\nmemory_mb: 1,024\nfree_tier: no\n```\n"
    rendered = render_note(body)
    messages = [issue.message for issue in calculator_warnings(body)]
    assert messages == [
        "lambda-pricing block: requests 'lots' is not a whole number",
        "lambda-pricing block: arch 'sparc' is not x86_64 or arm64",
    ]
    assert 'data-params="memory_mb=1024&amp;free_tier=no"' in rendered.html


def test_a_pricing_block_takes_the_optional_charges_and_their_choices():
    body = (
        "```lambda-pricing\nrequests: 3,000,000\nduration_ms: 120\nmemory_mb: 1536\n"
        "provisioned_concurrency: 100\nprovisioned_hours: 8\nprovisioned_duration_ms: 100\n"
        "compute: Managed_Instances\nevent_poller: SQS\ninstance_on_demand_hourly_usd: 0.1632\n"
        "streaming_free_tier: off\ncompute: lambda\n```\n"
    )
    rendered = render_note(body)
    messages = [issue.message for issue in calculator_warnings(body)]
    assert messages == [
        "lambda-pricing block: compute 'lambda' is not on-demand, edge or managed-instances"
    ]
    assert (
        'data-params="requests=3000000&amp;duration_ms=120&amp;memory_mb=1536'
        "&amp;provisioned_concurrency=100&amp;provisioned_hours=8&amp;provisioned_duration_ms=100"
        "&amp;compute=managed-instances&amp;event_poller=sqs"
        '&amp;instance_on_demand_hourly_usd=0.1632&amp;streaming_free_tier=no"'
    ) in rendered.html, "long keys and the dash in managed-instances pass the sanitiser"


def test_a_note_cannot_smuggle_other_attributes_through_a_placeholder():
    html = sanitize(
        '<div class="calc-embed" data-calc="evil" data-params="a=&quot;&gt;<script>" '
        'data-other="x" onclick="alert(1)"></div>'
    )
    assert html == '<div class="calc-embed"></div>'


def test_the_fast_path_for_card_texts_renders_exactly_as_markdown_does():
    from pathlib import Path

    from cards.content.extract import extract_cards
    from cards.content.markdown import (
        SINGLE_PARAGRAPH,
        _convert,
        _simple_inline,
        instance,
        prepare,
        sanitize,
    )
    from cards.content.source import read_source

    texts = ["a **b** c", "x ==y== z", "`a*b` and **c**", "**a ==b==**", "Heading › **Term**"]
    for path in (Path(__file__).resolve().parents[2] / "content" / "aws-lambda").glob("*.md"):
        source = read_source(path.read_bytes())
        cards = extract_cards(parse_note(source.body), title="t", options=source.meta).cards
        texts += [text for card in cards for text in (card.front, card.back)]
    checked = 0
    for text in texts:
        fast = _simple_inline(text)
        if fast is None:
            continue
        html = sanitize(_convert(instance("fragment"), prepare(text, anchors=False), 1)).strip()
        single = SINGLE_PARAGRAPH.fullmatch(html)
        assert fast == (single.group(1) if single else html), text
        checked += 1
    assert checked > 100, "the fast path should cover most card texts"
    assert _simple_inline("2 * 3") is None and _simple_inline("snake_case") is None


def test_a_cloze_blank_is_plain_text_on_the_fast_path_unless_a_link_could_use_it():
    from cards.content.markdown import _simple_inline

    assert _simple_inline("The **default** is [...].") == "The <strong>default</strong> is [...]."
    assert render_fragment("The default is [...].") == "The default is [...]."
    for text in ("a [...](b)", "a [...] [c]", "[...]: x", "a [...] [...] b"):
        assert _simple_inline(text) is None, f"{text!r}: Markdown may read a link there"
    assert render_fragment("a [...](https://example.com)").startswith("a <a href=")


def test_an_inline_pattern_is_not_run_over_text_without_the_characters_it_needs():
    from cards.content.markdown.dialect import NEEDED, instance

    md = instance("fragment")
    mail = md.inlinePatterns["magic-mail"].compiled_re
    assert list(mail.finditer("900 seconds " * 1000)) == []
    assert [match.group(0) for match in mail.finditer("write to a@b.co")] == ["a@b.co"]
    for name, characters in NEEDED.items():
        pattern = md.inlinePatterns[name].compiled_re.pattern
        assert not pattern.search("x" * 50), f"{name} could match without {characters!r}"
    assert render_fragment("`a`, [b](https://c.d), e@f.gh, www.i.jk").count("<") == 8


def test_obsidian_callouts_become_styled_blocks_with_their_title():
    html = render_note("> [!warning] Old limit\n> Async payloads were 256 KB.\n").html
    assert '<blockquote class="callout callout-warning">' in html
    assert '<strong class="callout-title">Old limit</strong>' in html
    assert "[!warning]" not in html
    plain = render_note("> just a quote\n").html
    assert "<blockquote>" in plain and "callout" not in plain
    hostile = render_note('> [!note] <img src=x onerror="alert(1)">\n').html
    assert "onerror" not in hostile


@pytest.mark.parametrize("before", ["", "<b>bold", "<table><tr><td>cell", "<plaintext>", "<title>"])
def test_the_rest_of_a_busy_note_comes_out_as_sanitising_it_escaped_would_make_it(
    before, monkeypatch
):
    import cards.content.markdown as markdown

    note = f"{before}\n\nintro\n\n" + "<" * 50_000 + " > & x\n\nlast <b> & >"
    page = render_note(note).html
    assert "last &lt;b&gt; &amp; &gt;" in page or "last &amp;lt;b&amp;gt;" in page

    def escaped_then_sanitised(html, prepared):
        return markdown.sanitize(markdown._with_rest(html, prepared, anchors=True))

    monkeypatch.setattr(markdown, "_sanitized_with_rest", escaped_then_sanitised)
    assert page == render_note(note).html, "the markers stand for exactly what '&lt;' would"
