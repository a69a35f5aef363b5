"""One fact, one card, end to end (issue 14): two people's notes ask the same fact; a student
studies it once and sees both sources; an instructor splits the merge and both cards come back;
a card the facts file contradicts shows the canonical value beside its answer."""

from cards.content.sync import NoteFile, import_deck
from cards.models import Card
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

ALICE = b"# Amazon SQS\n\n- Visibility timeout: how long a received message stays hidden\n"
BEN = b"# SQS\n\n- Visibility timeout - the window in which nobody else sees a message\n"


def test_a_student_studies_a_merged_fact_once_and_an_instructor_splits_it(page, alice, charlie):
    import_deck("sqs", [NoteFile("alice.md", ALICE), NoteFile("ben.md", BEN)])
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/study/deck/sqs/")
    counts = page.get_by_role("list", name="Cards left today").inner_text().split()
    assert counts[:2] + counts[-4:] == ["New", "1", "Learning", "0", "Review", "0"], "one card"
    page.get_by_role("button", name="Show answer").click()
    source = page.locator(".source")
    assert "also in" in source.inner_text()
    assert source.get_by_role("link", name="SQS", exact=True).is_visible()

    page.context.clear_cookies()
    log_in(page, "charlie", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/decks/sqs/notes/ben/cards/")
    page.get_by_text("Same fact as").wait_for()
    page.get_by_role("button", name="Keep apart").click()
    page.get_by_text("Kept apart from").first.wait_for()
    assert Card.objects.filter(Card.in_play(), deck__slug="sqs").count() == 2
    page.get_by_role("button", name="Merge again").click()
    page.get_by_text("Same fact as").wait_for()


def test_a_contradicted_answer_shows_the_facts_file_beside_it(page, alice):
    import_deck("lambda", [NoteFile("l.md", b"# AWS Lambda\n\n- Max timeout: 10 minutes\n")])
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/study/deck/lambda/")
    page.get_by_role("button", name="Show answer").click()
    check = page.get_by_role("note", name="Fact check")
    assert "10 minutes" in check.inner_text() and "900" in check.inner_text()
