"""The authoring service: saves, revisions, conflicts, drafts, deletes, uploads, export."""

import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cards.content import authoring
from cards.content.sync import ImportFailed, NoteFile, import_deck
from cards.models import Card, CardState, Note, NoteRevision, ReviewLog
from cards.study import grading, queue
from cards.study.scheduling import Rating

CONTENT = Path(__file__).resolve().parents[2] / "content"
TEXT = "# Limits\n\n- Max timeout? :: 900 seconds\n- Max layers? :: 5\n"


@pytest.fixture
def note(db):
    import_deck("d", [NoteFile("limits.md", TEXT.encode())])
    return Note.objects.get(path="limits.md")


def test_saving_keeps_a_revision_and_review_history(note, alice, charlie):
    card = Card.objects.get(front="Max timeout?")
    grading.grade(alice, card_id=card.pk, version=0, rating=Rating.GOOD)
    authoring.save_note(
        note, text=TEXT.replace("900 seconds", "15 minutes"), author=charlie, base_version=1
    )
    note.refresh_from_db()
    card.refresh_from_db()
    assert card.back == "15 minutes" and note.version == 2
    assert ReviewLog.objects.filter(card=card).count() == 1, "review history survives the edit"
    latest = NoteRevision.objects.filter(note=note).first()
    assert latest.author == charlie and "15 minutes" in latest.source


def test_a_stale_save_is_a_conflict_and_overwrites_nothing(note, charlie):
    authoring.save_note(note, text=TEXT + "- New? :: yes\n", author=charlie, base_version=1)
    with pytest.raises(authoring.Conflict) as conflict:
        authoring.save_note(note, text="# Mine\n", author=charlie, base_version=1)
    assert "New? :: yes" in conflict.value.current_source
    note.refresh_from_db()
    assert "New? :: yes" in note.source


def test_restoring_a_revision_brings_its_text_back(note, charlie):
    first = NoteRevision.objects.get(note=note)
    authoring.save_note(note, text="# Limits\n\n- Other? :: x\n", author=charlie, base_version=1)
    note.refresh_from_db()
    authoring.restore_revision(note, first, author=charlie)
    note.refresh_from_db()
    assert note.source == TEXT
    assert Card.objects.get(front="Max timeout?").status == "active"
    assert NoteRevision.objects.filter(note=note).count() == 3


def test_a_browser_edit_survives_reimporting_the_unchanged_file(tmp_path, db, charlie):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "limits.md").write_text(TEXT)
    call_command("import_notes", str(folder), stdout=StringIO())
    note = Note.objects.get()
    authoring.save_note(note, text=TEXT + "- Edited? :: yes\n", author=charlie, base_version=1)
    call_command("import_notes", str(folder), stdout=StringIO())
    note.refresh_from_db()
    assert "Edited? :: yes" in note.source, "restarting make run must not undo browser edits"


def test_a_changed_file_still_wins_and_the_browser_text_stays_in_history(tmp_path, db, charlie):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "limits.md").write_text(TEXT)
    call_command("import_notes", str(folder), stdout=StringIO())
    note = Note.objects.get()
    authoring.save_note(note, text=TEXT + "- Edited? :: yes\n", author=charlie, base_version=1)
    (folder / "limits.md").write_text(TEXT + "- From file? :: yes\n")
    call_command("import_notes", str(folder), stdout=StringIO())
    note.refresh_from_db()
    assert "From file?" in note.source
    assert NoteRevision.objects.filter(note=note, source__contains="Edited? :: yes").exists()


def test_new_notes_are_drafts_hidden_from_students_until_published(db, alice, charlie):
    import_deck("d", [NoteFile("a.md", b"# A\n\n- Old? :: yes\n")])
    deck = Note.objects.get().deck
    draft = authoring.create_note(deck, path="b", text="# B\n\n- Draft? :: yes\n", author=charlie)
    assert draft.path == "b.md" and not draft.published
    assert queue.next_turn(alice, queue.Scope(deck_id=deck.pk)).counts.new == 1
    authoring.set_published(draft, True)
    assert queue.next_turn(alice, queue.Scope(deck_id=deck.pk)).counts.new == 2


def test_deleting_a_note_retires_its_cards_and_restoring_brings_them_back(note, alice, charlie):
    card = Card.objects.get(front="Max timeout?")
    grading.grade(alice, card_id=card.pk, version=0, rating=Rating.GOOD)
    authoring.delete_note(note, author=charlie)
    assert not Card.objects.filter(note=note, status="active").exists()
    authoring.restore_note(note, author=charlie)
    card.refresh_from_db()
    assert card.status == "active"
    assert CardState.objects.filter(user=alice, card=card).exists()


def test_a_note_deleted_in_the_browser_stays_deleted_on_reimport(tmp_path, db, charlie):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "limits.md").write_text(TEXT)
    call_command("import_notes", str(folder), stdout=StringIO())
    authoring.delete_note(Note.objects.get(), author=charlie)
    call_command("import_notes", str(folder), stdout=StringIO())
    assert Note.objects.get().removed_at is not None


def test_suppressed_cards_leave_the_queue_and_survive_imports(note, alice):
    card = Card.objects.get(front="Max timeout?")
    authoring.set_card_suppressed(card, True)
    assert queue.next_turn(alice, queue.Scope()).counts.new == 1
    import_deck("d", [NoteFile("limits.md", (TEXT + "- Max memory? :: 10,240 MB\n").encode())])
    card.refresh_from_db()
    assert card.status == "suppressed"
    authoring.set_card_suppressed(card, False)
    assert queue.next_turn(alice, queue.Scope()).counts.new == 3


def test_preview_shows_cards_and_warnings_without_saving(note):
    text = TEXT + "- Timeout limit: the maximum timeout is 600 seconds\nSee [[Nowhere]].\n"
    preview = authoring.preview_note(note.deck, path=note.path, text=text, note=note)
    assert any(c.front == "Max timeout?" for c in preview.cards)
    messages = " ".join(w.message for w in preview.warnings)
    assert "Nowhere" in messages and "900 seconds" in messages
    note.refresh_from_db()
    assert note.source == TEXT


def test_preview_flags_duplicates_of_cards_in_other_notes(note):
    preview = authoring.preview_note(
        note.deck, path="other.md", text="# Other\n\n- Max layers? :: 5\n"
    )
    assert any("duplicate" in w.message and "Limits" in w.message for w in preview.warnings)


def test_upload_is_a_dry_run_until_applied(note, charlie):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/new.md", "# New\n\n- Zipped? :: yes\n")
        archive.writestr("notes/limits.md", TEXT)
    pending = authoring.stage_upload(note.deck, [("notes.zip", buffer.getvalue())], user=charlie)
    assert pending.report["notes"]["created"] == 1 and pending.report["notes"]["unchanged"] == 1
    assert not Note.objects.filter(path="new.md").exists(), "a dry run changes nothing"
    report = authoring.apply_upload(pending, user=charlie)
    assert report["cards"]["created"] == 1
    assert Note.objects.filter(path="new.md").exists()


def test_upload_limits_are_clear(note, charlie):
    with pytest.raises(ValueError, match="limit"):
        authoring.stage_upload(note.deck, [("big.md", b"x" * (21 * 1024 * 1024))], user=charlie)
    with pytest.raises(ValueError, match="not a valid .zip"):
        authoring.stage_upload(note.deck, [("bad.zip", b"PK nope")], user=charlie)
    pending = authoring.stage_upload(note.deck, [("bin.md", b"\x00\x01")], user=charlie)
    assert pending.report["errors"] and "binary" in pending.report["errors"][0]["message"]


def test_save_with_unusable_text_fails_and_keeps_the_old_text(note, charlie):
    with pytest.raises(ImportFailed):
        authoring.save_note(note, text="\x00binary", author=charlie, base_version=1)
    note.refresh_from_db()
    assert note.source == TEXT


def test_export_notes_round_trips_the_default_deck_byte_for_byte(db, tmp_path):
    call_command("import_notes", str(CONTENT), stdout=StringIO())
    out = tmp_path / "export"
    call_command("export_notes", "aws-lambda", str(out), stdout=StringIO())
    for original in (CONTENT / "aws-lambda").glob("*.md"):
        assert (out / original.name).read_bytes() == original.read_bytes(), original.name
    before = sorted(Card.objects.values_list("pk", "key", "front"))
    report = StringIO()
    call_command("import_notes", str(out), "--deck", "aws-lambda", "--json", stdout=report)
    data = json.loads(report.getvalue())
    assert data["notes"]["created"] == 0 and data["cards"]["created"] == 0
    assert data["cards"]["retired"] == 0
    assert sorted(Card.objects.values_list("pk", "key", "front")) == before


def test_what_the_preview_shows_is_what_a_save_stores(note, charlie):
    text = (
        "---\ntitle: Lambda limits\n---\n# Limits\n\n- Max timeout? :: 900 seconds\n"
        "- Maximum memory: 12 GB\n- Timeout: ==900 seconds== at most\nSee [[Nowhere]].\n"
        "\n| Quota | Value |\n|---|---|\n| Layers | 5 |\n"
        "\n> [!question] How many layers?\n> - [x] 5\n> - [ ] 6\n"
    )
    preview = authoring.preview_note(note.deck, path=note.path, text=text, note=note)
    authoring.save_note(note, text=text, author=charlie, base_version=note.version)
    note.refresh_from_db()
    stored_cards = list(note.cards.filter(status="active").order_by("line", "position"))
    assert [(c.front, c.back) for c in stored_cards] == [(c.front, c.back) for c in preview.cards]
    assert [q.stem for q in note.questions.all()] == [q.stem for q in preview.questions]
    assert note.title == preview.title == "Lambda limits"
    assert note.html == preview.html
    stored = [(w["line"], w["message"]) for w in note.warnings]
    assert stored == [(w.line, w.message) for w in preview.warnings], "same warnings, same lines"
    assert any("12 GB" in message for _, message in stored), "the wrong bullet is flagged"
