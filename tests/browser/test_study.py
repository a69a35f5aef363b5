"""Review ten cards with the keyboard only, then undo one (issue: study sessions)."""

import re

from cards.content.sync import NoteFile, import_deck
from cards.models import CardState, ReviewLog
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_review_ten_cards_by_keyboard_and_undo_one(page, alice):
    lines = "".join(f"- Keyboard question {i}? :: Keyboard answer {i}\n" for i in range(12))
    import_deck("kb", [NoteFile("kb.md", f"# Keys\n\n{lines}".encode())])
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/study/deck/kb/")
    counts = page.get_by_role("list", name="Cards left today")
    assert counts.inner_text().split() == [
        "New",
        "12",
        "(this",
        "card)",
        "Learning",
        "0",
        "Review",
        "0",
    ]

    for i in range(10):
        page.get_by_text(f"Keyboard question {i}?").wait_for()
        page.keyboard.press("Space")
        page.get_by_text(f"Keyboard answer {i}").wait_for()
        good = page.get_by_role("button", name=re.compile(r"^Good \d"))
        assert good.is_visible(), "grade buttons show with their intervals"
        page.keyboard.press("4" if i % 2 else "3")
        page.get_by_text(f"Keyboard question {i + 1}?").wait_for()

    assert ReviewLog.objects.filter(user=alice).count() == 10
    assert page.url.endswith("/study/deck/kb/"), "htmx swapped cards without leaving the page"

    page.keyboard.press("u")
    page.get_by_text("Keyboard question 9?", exact=True).wait_for()
    assert ReviewLog.objects.filter(user=alice).count() == 9
    assert not CardState.objects.filter(user=alice, card__front="Keyboard question 9?").exists()
    assert counts.inner_text().split()[:2] == ["New", "3"]


def test_review_works_with_javascript_off(chromium_browser, live_server, alice):
    import_deck("plain", [NoteFile("p.md", b"# P\n\n- Plain question? :: Plain answer\n")])
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "alice", PASSWORD)
    page.goto("/study/deck/plain/")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_text("Plain answer").wait_for()
    page.get_by_role("button", name=re.compile(r"^Easy")).click()
    page.get_by_role("heading", name=re.compile("All done")).wait_for()
    assert ReviewLog.objects.filter(user=alice).count() == 1
    context.close()


def test_settings_offer_the_browsers_time_zone(chromium_browser, live_server, alice):
    from cards.models import StudySettings

    context = chromium_browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, "alice", PASSWORD)
        page.get_by_role("heading", name="Dashboard").wait_for()
        page.goto("/settings/study/")
        assert page.get_by_label("Time zone").input_value() == "UTC"
        page.get_by_text("This browser's clock says Asia/Tokyo.").wait_for()
        page.get_by_role("button", name="Use that time zone").click()
        page.get_by_role("button", name="Save settings").click()
        page.get_by_text("Study settings saved.").wait_for()
        assert StudySettings.objects.get(user=alice).time_zone == "Asia/Tokyo"
        assert not page.get_by_text("This browser's clock says").is_visible(), (
            "no hint once the settings match the browser"
        )
    finally:
        context.close()
