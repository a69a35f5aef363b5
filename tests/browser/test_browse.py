"""The card browser in the browser, at phone and desktop width: search as you type, tick the
page's cards and suspend them, the front of every card in sight."""

from cards.content.sync import NoteFile, import_deck
from cards.models import CardState
from tests.browser.conftest import in_view, log_in
from tests.conftest import PASSWORD


def test_search_tick_a_page_and_suspend_it(sized_page, alice):
    lines = "".join(f"- How long is timeout number {i}? :: {i} seconds\n" for i in range(3))
    lines += "- What is a layer? :: A zip archive of libraries\n"
    import_deck("browse", [NoteFile("b.md", f"# Limits\n\n{lines}".encode())])
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse").click()
    page.get_by_role("heading", name="4 cards").wait_for()
    # htmx starts listening once the page's deferred script has run: typing before is lost
    page.wait_for_load_state()
    page.get_by_label("Search notes and cards").fill("timeouts")
    page.get_by_role("heading", name="3 cards matching “timeouts”").wait_for()
    assert "q=timeouts" in page.url, "the address follows the search"
    front = page.get_by_role("link", name="How long is timeout number 2?")
    assert in_view(page, front), "the front column stays in sight"
    page.get_by_label("Tick every card on this page").check()
    page.get_by_label("Action").select_option("suspend")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Suspended 3 cards.").wait_for()
    assert CardState.objects.filter(user=alice, suspended=True).count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
