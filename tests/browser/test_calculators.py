"""The calculators recalculate as you type, keep a shareable URL, and work inside notes."""

from playwright.sync_api import expect

from cards.content.sync import NoteFile, import_deck
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_pricing_recalculates_as_you_type_and_keeps_a_shareable_url(page, alice):
    log_in(page, "alice", PASSWORD)
    page.goto("/calculators/pricing/")
    total = page.locator("#calc0-result .calc-total-value")
    assert total.inner_text() == "$2.27"

    page.get_by_label("Requests a month").fill("5000000")
    page.get_by_label("Average duration (ms)").fill("200")
    page.get_by_label("Memory (MB)").fill("512")
    page.get_by_label("Architecture").select_option("x86_64")
    expect(page.locator("#calc0-result .calc-total-value")).to_have_text("$2.47")
    assert "requests=5000000" in page.url and "arch=x86_64" in page.url, page.url

    shared = page.url
    page.goto(shared)
    assert page.locator("#calc0-result .calc-total-value").inner_text() == "$2.47"


def test_pricing_shows_an_error_next_to_the_field_while_typing(page, alice):
    log_in(page, "alice", PASSWORD)
    page.goto("/calculators/pricing/")
    page.get_by_label("Memory (MB)").fill("999999")
    page.locator("#calc0-memory_mb-errors").get_by_text("Lambda allows 128 MB").wait_for()
    assert page.locator("#calc0-result .calc-total-value").count() == 0
    page.get_by_label("Memory (MB)").fill("1024")
    page.locator("#calc0-result .calc-total-value").wait_for()
    assert page.locator("#calc0-memory_mb-errors").inner_text() == ""


def test_calculators_embedded_in_a_note_recalculate_in_their_own_boxes(page, alice):
    import_deck(
        "d",
        [
            NoteFile(
                "n.md",
                b"# Costs\n\n```lambda-pricing\nrequests: 5000000\nduration_ms: 200\n"
                b"memory_mb: 512\narch: x86_64\n```\n\n```lambda-limits\nlayers: 6\n```\n",
            )
        ],
    )
    log_in(page, "alice", PASSWORD)
    page.goto("/decks/d/notes/n/")
    assert page.locator("#calc1-result .calc-total-value").inner_text() == "$2.47"
    page.locator("#calc1-memory_mb").fill("1024")
    expect(page.locator("#calc1-result .calc-total-value")).not_to_have_text("$2.47")
    page.locator("#calc2-layers").fill("2")
    page.locator("#calc2-result").get_by_text("All within Lambda's limits").wait_for()
    assert page.url.endswith("/decks/d/notes/n/"), "typing in a note keeps the note's URL"


def test_limits_checker_works_without_javascript(chromium_browser, live_server, alice):
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "alice", PASSWORD)
    page.goto("/calculators/limits/")
    page.get_by_label("Layers", exact=True).fill("7")
    page.get_by_role("button", name="Calculate").click()
    page.get_by_text("1 limit exceeded").wait_for()
    assert "layers=7" in page.url
    context.close()
