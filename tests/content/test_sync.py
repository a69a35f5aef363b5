"""Importing notes into the database: identities, retirement, atomicity, reports."""

import pytest

from cards.content.sync import ImportFailed, NoteFile, import_deck
from cards.models import Card, Note, NoteLink


def files(**notes):
    return [NoteFile(f"{name}.md", text.encode()) for name, text in notes.items()]


def active_fronts(note_path="limits.md"):
    return set(
        Card.objects.filter(note__path=note_path, status="active").values_list("front", flat=True)
    )


LIMITS = """# Lambda limits

- What is the maximum timeout? :: 900 seconds
- How many layers can a function use? :: 5
- What is the largest memory setting? :: 10,240 MB
"""


@pytest.fixture
def imported(db):
    return import_deck("lambda", files(limits=LIMITS))


def test_first_import_creates_the_note_and_its_cards(imported):
    assert imported.notes["created"] == 1
    assert imported.cards["created"] == 3
    note = Note.objects.get(path="limits.md")
    assert note.title == "Lambda limits"
    assert note.source == LIMITS, "the source is kept verbatim"
    assert "What is the maximum timeout?" in active_fronts()


def test_reimporting_unchanged_notes_changes_nothing(imported):
    before = list(Card.objects.values_list("pk", "key", "updated_at"))
    report = import_deck("lambda", files(limits=LIMITS))
    assert report.to_dict()["notes"] == {"created": 0, "updated": 0, "unchanged": 1, "removed": 0}
    assert report.to_dict()["cards"] == {"created": 0, "updated": 0, "unchanged": 3, "retired": 0}
    assert list(Card.objects.values_list("pk", "key", "updated_at")) == before


def test_reordered_list_keeps_every_card(imported):
    ids = dict(Card.objects.values_list("front", "pk"))
    lines = LIMITS.splitlines()
    reordered = "\n".join([lines[0], lines[1], lines[4], lines[2], lines[3]]) + "\n"
    report = import_deck("lambda", files(limits=reordered))
    assert report.cards["created"] == 0 and report.cards["retired"] == 0
    assert dict(Card.objects.values_list("front", "pk")) == ids


def test_corrected_answer_updates_the_same_card(imported):
    card = Card.objects.get(front="How many layers can a function use?")
    report = import_deck("lambda", files(limits=LIMITS.replace(":: 5", ":: five")))
    assert report.cards["updated"] == 1 and report.cards["created"] == 0
    card.refresh_from_db()
    assert card.back == "five"


def test_typo_fix_in_a_front_keeps_the_card(imported):
    card = Card.objects.get(front="What is the largest memory setting?")
    fixed = LIMITS.replace("largest memory setting", "largest memmory setting")
    report = import_deck("lambda", files(limits=fixed))
    assert report.cards["created"] == 0, "a typo must not make a new card"
    card.refresh_from_db()
    assert card.front == "What is the largest memmory setting?"
    assert card.status == "active"


def test_removed_line_retires_its_card_and_returning_text_restores_it(imported):
    card = Card.objects.get(front="How many layers can a function use?")
    without = LIMITS.replace("- How many layers can a function use? :: 5\n", "")
    report = import_deck("lambda", files(limits=without))
    assert report.cards["retired"] == 1
    card.refresh_from_db()
    assert card.status == "retired"
    report = import_deck("lambda", files(limits=LIMITS))
    card.refresh_from_db()
    assert card.status == "active", "the card comes back with its history"
    assert report.cards["created"] == 0


def test_a_file_gone_from_the_folder_is_removed_and_its_cards_retired(imported):
    report = import_deck("lambda", files(other="# Other\n\n- Q? :: A\n"))
    assert report.notes["removed"] == 1
    assert report.cards["retired"] == 3
    assert Note.objects.get(path="limits.md").removed_at is not None
    assert Card.objects.filter(note__path="limits.md").count() == 3, "cards are never deleted"


def test_a_binary_file_fails_the_whole_import_and_changes_nothing(imported):
    before = list(Card.objects.values_list("pk", "front", "status"))
    bad = [
        NoteFile("limits.md", LIMITS.replace("900 seconds", "15 minutes").encode()),
        NoteFile("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
    ]
    with pytest.raises(ImportFailed) as failure:
        import_deck("lambda", bad)
    errors = failure.value.report.errors
    assert errors[0]["file"] == "photo.md" and "binary" in errors[0]["message"]
    assert list(Card.objects.values_list("pk", "front", "status")) == before
    assert Card.objects.get(front="What is the maximum timeout?").back == "900 seconds"


def test_an_oversized_file_is_refused_by_name(db):
    huge = NoteFile("huge.md", b"x" * 100, size=50 * 1024 * 1024)
    with pytest.raises(ImportFailed) as failure:
        import_deck("lambda", [huge])
    message = failure.value.report.errors[0]["message"]
    assert "50.0 MB" in message and "limit" in message
    assert not Note.objects.exists()


def test_a_note_of_too_many_lines_is_refused_by_name(db):
    long = NoteFile("long.md", b"- a\n" * 20_000)
    with pytest.raises(ImportFailed) as failure:
        import_deck("lambda", [long, *files(limits=LIMITS)])
    error = failure.value.report.errors[0]
    assert error["file"] == "long.md" and "20,001 lines; the limit is 6,000" in error["message"]
    assert not Note.objects.exists(), "nothing is imported"


def test_dry_run_reports_but_keeps_nothing(db):
    report = import_deck("lambda", files(limits=LIMITS), dry_run=True)
    assert report.cards["created"] == 3
    assert not Note.objects.exists() and not Card.objects.exists()


def test_broken_wikilinks_are_reported_with_file_and_line(db):
    report = import_deck(
        "lambda", files(a="# A\n\nSee [[B]] and [[Nowhere]].\n", b="# B\n\nBack to [[a]].\n")
    )
    broken = [w for w in report.warnings if "Nowhere" in w["message"]]
    assert broken and broken[0]["file"] == "a.md" and broken[0]["line"] == 3
    assert not [w for w in report.warnings if "[[B]]" in w["message"]], "[[B]] resolves"


def test_links_resolve_by_title_file_name_or_alias_case_insensitively(db):
    import_deck(
        "lambda",
        files(
            **{
                "01-pricing": "---\ntitle: Lambda pricing\naliases: [cost]\n---\n# Pricing\n",
                "hub": "# Hub\n\n[[lambda PRICING]], [[01-pricing]], [[Cost|what it costs]]\n",
            }
        ),
    )
    hub = Note.objects.get(path="hub.md")
    assert hub.html.count('class="wikilink"') == 3, hub.html
    assert "broken" not in hub.html
    assert NoteLink.objects.filter(source=hub, target__path="01-pricing.md").count() == 3


def test_adding_the_missing_note_fixes_links_in_unchanged_notes(db):
    import_deck("lambda", files(a="# A\n\nSee [[B]].\n"))
    assert "broken" in Note.objects.get(path="a.md").html
    import_deck("lambda", files(a="# A\n\nSee [[B]].\n", b="# B\n"))
    assert "broken" not in Note.objects.get(path="a.md").html


def test_hostile_html_in_a_note_is_sanitised(db):
    import_deck(
        "lambda",
        files(evil='# Evil\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n'),
    )
    html = Note.objects.get(path="evil.md").html
    assert "<script" not in html and "onerror" not in html


def test_crlf_and_bom_notes_import_and_keep_their_bytes(db):
    data = "\ufeff# Title\r\n\r\n- Q one? :: A one\r\n".encode()
    report = import_deck("lambda", [NoteFile("crlf.md", data)])
    assert report.cards["created"] == 1
    note = Note.objects.get(path="crlf.md")
    assert note.source.encode() == data
    assert note.title == "Title"


def test_fact_references_render_from_the_facts_file_and_unknown_keys_warn(db):
    report = import_deck(
        "lambda",
        files(
            limits="# Limits\n\n- Maximum timeout: {{fact:timeout.max}}\n- Odd: {{fact:no.such}}\n"
        ),
    )
    note = Note.objects.get(path="limits.md")
    assert "900 seconds" in note.html and "{{fact:timeout.max}}" not in note.html
    assert Card.objects.filter(back__contains="900 seconds").exists(), "cards see the value too"
    unknown = [w for w in report.warnings if "no.such" in w["message"]]
    assert unknown and unknown[0]["line"] == 4
    assert note.source.count("{{fact:timeout.max}}") == 1, "the source keeps the reference"


def test_the_import_fact_checks_prices_and_limits(db):
    report = import_deck(
        "lambda",
        files(
            limits="# Limits\n\n- The maximum timeout is 600 seconds.\n"
            "- Compute costs $1 for 600,000 GB-seconds.\n- The maximum timeout is 15 minutes.\n"
        ),
    )
    messages = {w["line"]: w["message"] for w in report.warnings}
    assert "600 seconds" in messages[3] and "900 seconds" in messages[3]
    assert "600,000 GB-seconds" in messages[4]
    assert 5 not in messages, "a right claim in other units is not flagged"


def test_a_line_whose_card_changes_form_keeps_the_card_and_its_history(db, alice):
    from cards.models import CardState
    from cards.study import grading
    from cards.study.scheduling import Rating

    import_deck("lambda", files(limits="# Lambda\n\n- The timeout is ==900 seconds== at most.\n"))
    before = Card.objects.get(status="active")
    assert before.kind == "cloze"
    grading.grade(alice, card_id=before.pk, version=0, rating=Rating.GOOD)
    import_deck("lambda", files(limits="# Lambda\n\n- The timeout is 900 seconds at most.\n"))
    after = Card.objects.get(status="active")
    assert (after.pk, after.kind) == (before.pk, "numeric"), "same line, same answer: same card"
    assert CardState.objects.get(user=alice).card_id == before.pk
