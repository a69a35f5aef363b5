"""A student finds a note in a deck too big for one page, on a phone: page to it, open it, and
come back (the deck page lists a hundred notes a page)."""

from cards.content.sync import NoteFile, import_deck
from tests.browser.conftest import in_view, log_in
from tests.conftest import PASSWORD


def test_student_pages_through_a_big_deck_to_a_note_and_back(sized_page, alice):
    import_deck(
        "big",
        [
            NoteFile(f"topic-{i:03}.md", f"# Topic {i}\n\n- Question {i}? :: Answer {i}\n".encode())
            for i in range(130)
        ],
    )
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/decks/big/")

    rows = page.locator("table.data-table tbody tr")
    pages = page.get_by_role("navigation", name="Pages of notes")
    assert rows.count() == 100
    assert "Notes 1–100 of 130 · page 1 of 2" in pages.inner_text()
    assert page.get_by_role("link", name="Topic 129", exact=True).count() == 0
    assert in_view(page, pages.get_by_role("link", name="Next"))

    pages.get_by_role("link", name="Next").click()
    page.get_by_text("Notes 101–130 of 130").wait_for()
    assert rows.count() == 30
    page.get_by_role("link", name="Topic 129", exact=True).click()
    page.wait_for_url("**/decks/big/notes/topic-129/")
    assert page.locator("h1").first.inner_text() == "Topic 129"
    assert page.get_by_text("Answer 129").first.is_visible()

    page.go_back()
    page.get_by_text("Notes 101–130 of 130").wait_for()
    pages.get_by_role("link", name="Previous").click()
    page.get_by_text("Notes 1–100 of 130").wait_for()
    assert page.get_by_role("link", name="Topic 0", exact=True).is_visible()
