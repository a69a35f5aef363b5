"""An instructor edits a note: the preview follows the typing, and Save makes the card (issue 7)."""

import os

from cards.content.sync import NoteFile, import_deck
from cards.models import Note
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

NEW_LINE = "- New term: a fresh definition for the test"
SCREENSHOTS = os.environ.get("AUTHORING_SCREENSHOTS")  # a folder, to look at the editor by eye


def test_instructor_sees_the_preview_change_while_typing_then_saves(page, charlie):
    import_deck(
        "lambda",
        [NoteFile("limits.md", b"# Lambda limits\n\n## Terms\n\n- Max timeout? :: 900 seconds\n")],
    )
    log_in(page, "charlie", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    note = Note.objects.get(path="limits.md")
    page.goto("/decks/lambda/")
    page.get_by_role("link", name="Lambda limits", exact=True).click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_load_state()  # the preview follows typing once the deferred editor.js has run

    source = page.get_by_role("textbox", name="Source")
    preview_cards = page.locator("#preview .preview-cards")
    assert preview_cards.get_by_text("Max timeout?").is_visible()
    assert preview_cards.get_by_text("a fresh definition for the test").count() == 0

    source.press("Control+End")
    source.press_sequentially(NEW_LINE, delay=5)
    preview_cards.get_by_text("a fresh definition for the test").wait_for()
    assert "New term" in preview_cards.inner_text(), "the card's front names the term"
    assert "New term" not in Note.objects.get(path="limits.md").source, "preview saved nothing"
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "editor.png"), full_page=True)

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**{note.get_absolute_url()}")
    assert NEW_LINE in Note.objects.get(path="limits.md").source
    page.get_by_role("link", name="2 cards").click()
    page.locator(".made-card").get_by_text("a fresh definition for the test").wait_for()
