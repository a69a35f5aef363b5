"""Set an exam date, read readiness by domain, and study a weak domain now by keyboard, at phone
and desktop width."""

import re

from cards.content.sync import NoteFile, import_deck
from cards.models import CardState, ReviewLog
from tests.browser.conftest import in_view, log_in
from tests.conftest import PASSWORD
from tests.views.test_readiness import note, today


def test_exam_date_readiness_and_a_domain_studied_now(sized_page, alice):
    import_deck("exam", [NoteFile("sec.md", note("Security", 3))])
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    exam_day = today().toordinal() + 14
    page.get_by_label("Exam date").fill(today().fromordinal(exam_day).isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("14 days to your exam").wait_for()
    row = page.get_by_role("row", name=re.compile("Security"))
    assert "too little data" in row.inner_text()
    study = page.get_by_role("link", name="Study Security")
    assert in_view(page, study), "the Study button stays in sight"
    line = study.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24")
    assert study.bounding_box()["height"] < 2 * line, "“Study” is one word on one line"
    study.click()
    assert page.get_by_role("textbox", name="Search").input_value() == 'domain:"Security"'
    page.get_by_role("button", name="Start studying").click()
    page.get_by_text("Review: scheduled as usual").wait_for()
    page.wait_for_load_state()  # the keys' script is deferred
    page.keyboard.press("Space")
    page.get_by_role("button", name=re.compile(r"^Good \d")).wait_for()
    page.keyboard.press("3")
    page.get_by_text(re.compile(r"Done\s+1")).wait_for()
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert CardState.objects.filter(user=alice).count() == 1
