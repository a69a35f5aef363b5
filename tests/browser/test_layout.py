"""Every main page, the instructor's too, fits a 360 px phone screen: no sideways scrolling."""

from pathlib import Path

from django.core.management import call_command

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

CONTENT = Path(__file__).resolve().parent.parent.parent / "content"
PAGES = [
    "/",
    "/decks/",
    "/decks/aws-lambda/",
    "/decks/aws-lambda/notes/06-lambda-pricing/",
    "/decks/aws-lambda/notes/07-lambda-limits/cards/",
    "/study/deck/aws-lambda/",
    "/study/custom/",
    "/browse/",
    "/browse/?q=lambda",
    "/quiz/",
    "/stats/",
    "/settings/study/",
    "/calculators/pricing/",
    "/calculators/limits/",
    "/account/data/",
]
INSTRUCTOR_PAGES = [
    "/decks/aws-lambda/notes/07-lambda-limits/edit/",
    "/decks/aws-lambda/notes/07-lambda-limits/history/",
    "/decks/aws-lambda/upload/",
    "/decks/aws-lambda/new-note/",
    "/decks/new/",
]


def test_main_pages_fit_a_360px_screen(chromium_browser, live_server, charlie):
    call_command("import_notes", str(CONTENT), verbosity=0)
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    log_in(page, "charlie", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    too_wide = {}
    for url in PAGES + INSTRUCTOR_PAGES:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[url] = width
    context.close()
    assert too_wide == {}, f"pages wider than the phone: {too_wide}"
