"""Study by keyboard, then read the statistics a student would: today's square of the heatmap,
the streak on the dashboard and the weakest topic, at phone and desktop width; undo takes its
review back out of every figure."""

import re

from cards.content.sync import NoteFile, import_deck
from tests.browser.conftest import in_view, log_in
from tests.conftest import PASSWORD
from tests.views.test_readiness import note


def study_by_keyboard(page, grades: int):
    page.goto("/study/")
    page.wait_for_load_state()  # the keys' script is deferred
    for done in range(grades):
        page.keyboard.press("Space")
        page.get_by_role("button", name=re.compile(r"^Good \d")).wait_for()
        page.keyboard.press("3")
        page.locator(".count-new .count").filter(has_text=str(4 - done - 1)).wait_for()


def test_reviews_show_up_in_the_statistics_and_undo_takes_them_back(sized_page, alice):
    import_deck("exam", [NoteFile("sec.md", note("Security", 4))])
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    study_by_keyboard(page, 3)

    page.get_by_role("link", name="Dashboard").first.click()
    summary = re.sub(r"\s+", " ", page.locator("main").inner_text())
    assert "3 reviews today" in summary and "1 day streak" in summary

    page.get_by_role("link", name="Statistics").first.click()
    page.get_by_role("heading", name="Reviews per day").wait_for()
    today = page.locator("svg.heatmap rect[data-today] title")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d: 3 reviews", today.text_content())
    assert page.locator("svg.heatmap rect.heat").count() >= 365, "a year of squares"
    main = re.sub(r"\s+", " ", page.locator("main").inner_text())
    assert "3 reviews in all" in main and "1 day studied" in main
    topic = page.get_by_role("row", name=re.compile("Security notes"))
    assert "3" in topic.inner_text(), "the topic's three reviewed cards"
    study = page.get_by_role("link", name="Study Security notes")
    assert in_view(page, study), "the Study button stays in sight"
    line = study.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24")
    assert study.bounding_box()["height"] < 2 * line, "“Study” is one word on one line"
    lines_of = "e => { const r = document.createRange(); r.selectNodeContents(e); "
    lines_of += "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size }"
    for cell in topic.locator("td").all():  # was "1 / 0 / 0 / %", a letter a line, at 390 px
        assert cell.evaluate(lines_of) <= 2, cell.inner_text()
    assert topic.locator("td.num").last.evaluate(lines_of) == 1, "the recall on one line"

    page.goto("/study/")
    page.wait_for_load_state()
    page.keyboard.press("u")
    page.get_by_text(re.compile(r"^Undid Good")).wait_for()
    page.goto("/stats/")
    assert today.text_content().endswith(": 2 reviews")
    assert "2 reviews in all" in re.sub(r"\s+", " ", page.locator("main").inner_text())
