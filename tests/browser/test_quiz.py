"""Take a Quick 10 exam end to end in Chromium, with the accessible names of DESIGN §3."""

import re

from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.views.test_quiz import NOTE


def test_take_a_quick_10_exam_end_to_end(page, alice):
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.get_by_role("link", name="Exams").click()
    page.get_by_role("button", name=re.compile(r"^Start exam.*Quick 10")).click()
    page.get_by_text(re.compile(r"Question 1 of \d+")).wait_for()
    assert page.get_by_role("timer").is_visible()
    total = len(Attempt.objects.get().questions)

    for number in range(1, total + 1):
        page.get_by_text(f"Question {number} of {total}").wait_for()
        typed = page.get_by_label("Your answer (with its unit)")
        if typed.count():
            typed.fill("900 seconds")
        else:
            first = page.locator(".options input").first
            assert first.get_attribute("type") in ("radio", "checkbox")
            label = page.locator(".options label").first.inner_text()
            page.get_by_label(label, exact=True).first.check()
        if number == 2:
            page.get_by_role("button", name="Flag").click()
            assert page.get_by_role("button", name="Flag").get_attribute("aria-pressed") == "true"
        if number == 3:
            page.get_by_role("button", name="Previous").click()
            page.get_by_text(f"Question 2 of {total}").wait_for()
            page.get_by_role("button", name="Next").click()
            page.get_by_text(f"Question 3 of {total}").wait_for()
            page.locator(".options input, #typed").first.wait_for()
            typed = page.get_by_label("Your answer (with its unit)")
            if typed.count():
                typed.fill("900 seconds")
            else:
                page.locator(".options input").first.check()
        name = "Review answers" if number == total else "Next"
        page.get_by_role("button", name=name).click()

    page.get_by_role("heading", name="Review before you submit").wait_for()
    assert "1 flagged" in page.content()
    page.get_by_role("button", name="Submit exam").click()
    page.get_by_role("heading", name=re.compile("^Results")).wait_for()
    assert re.search(r"\d+(\.\d)?%", page.locator(".score").inner_text())
    tables = page.get_by_role("table")
    assert tables.first.get_by_role("columnheader", name="Domain").is_visible()
    assert tables.nth(1).get_by_role("columnheader", name="Topic").is_visible()
    assert Attempt.objects.get().submitted_at is not None


def test_a_practice_quiz_by_keyboard_keeps_every_checked_answer(page, alice):
    """1-4 choose, Enter checks and then goes on: the results count what the page said."""
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/quiz/")
    page.get_by_role("button", name="Start practice").click()
    page.get_by_text(re.compile(r"Question 1 of \d+")).wait_for()
    total = len(Attempt.objects.get().questions)
    said_correct = 0
    for number in range(1, total + 1):
        page.get_by_text(f"Question {number} of {total}").wait_for()
        page.wait_for_load_state()  # the keys' script is deferred: a key before it is lost
        if page.get_by_label("Your answer (with its unit)").count():
            page.get_by_label("Your answer (with its unit)").fill("900 seconds")
            page.get_by_label("Your answer (with its unit)").press("Enter")
        else:
            page.keyboard.press(str(1 + number % 2))  # option 1 or 2, by its number key
            assert page.locator(".options input:checked").count() == 1
            page.keyboard.press("Enter")  # Check answer, never Previous
        feedback = page.get_by_role("status").filter(has_text=re.compile("Correct|Not quite"))
        feedback.wait_for()
        said_correct += "Correct." in feedback.inner_text()
        page.keyboard.press("Enter")  # Next (Finish on the last)
    page.get_by_role("heading", name=re.compile("^Results")).wait_for()
    assert f"{said_correct} of {total} correct" in page.locator(".summary").inner_text()
    assert "(no answer)" not in page.content()


def test_an_exam_by_keyboard_shows_answered_and_flagged_questions(page, alice):
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/quiz/")
    page.get_by_role("button", name=re.compile(r"^Start exam.*Quick 10")).click()
    page.get_by_role("heading", level=1).wait_for()
    total = len(Attempt.objects.get().questions)
    for number in range(1, total + 1):
        page.get_by_text(f"Question {number} of {total}").wait_for()
        page.wait_for_load_state()  # the keys' script is deferred: a key before it is lost
        if page.get_by_label("Your answer (with its unit)").count():
            page.get_by_label("Your answer (with its unit)").fill("1 second")
        else:
            page.keyboard.press("a")
        if number == 1:
            page.get_by_role("button", name="Flag").click()
            page.get_by_role("link", name="Question 1, answered, flagged").wait_for()
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Review before you submit").wait_for()
    page.get_by_role("button", name="Submit exam").press("Enter")
    page.get_by_role("heading", name=re.compile("^Results")).wait_for()
    assert page.get_by_role("columnheader", name="Domain").is_visible()
    attempt = Attempt.objects.get()
    assert attempt.answers.exclude(given=[]).count() == total, "every answer was kept"
