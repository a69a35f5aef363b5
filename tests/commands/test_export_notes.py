"""export_notes DECK DIR writes inside DIR, whatever the database holds."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cards.content.sync import NoteFile, import_deck
from cards.models import Asset, Note

NOTE = b"# A\n\n- Q? :: A\n"


@pytest.fixture
def deck(db):
    import_deck("d", [NoteFile("a.md", NOTE), NoteFile("b.md", NOTE)])


def export(folder):
    call_command("export_notes", "d", str(folder), stdout=StringIO())


def test_the_notes_are_written_into_the_folder(deck, tmp_path):
    export(tmp_path / "out")
    assert (tmp_path / "out" / "a.md").read_bytes() == NOTE
    assert (tmp_path / "out" / "_deck.toml").exists()


@pytest.mark.parametrize("stored", ["{outside}/abs.md", "../escaped.md", "sub/../../escaped.md"])
def test_a_stored_path_leading_out_is_refused_and_nothing_is_written(deck, tmp_path, stored):
    outside = tmp_path / "outside"
    outside.mkdir()
    Note.objects.filter(path="b.md").update(path=stored.format(outside=outside))
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="Nothing was written") as refused:
        export(out)
    assert "absolute path" in str(refused.value) or "climbs out" in str(refused.value)
    assert list(outside.iterdir()) == [] and not (tmp_path / "escaped.md").exists()
    assert list(out.iterdir()) == [], "not even the notes that were fine"


def test_a_symbolic_link_in_the_folder_cannot_lead_a_file_out(deck, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "images").symlink_to(outside)
    note = Note.objects.get(path="a.md")
    Asset.objects.create(
        deck=note.deck, path="images/x.png", name="x.png", content_type="image/png", data=b"png"
    )
    with pytest.raises(CommandError, match="'images/x.png' leads out of .* symbolic link"):
        export(out)
    assert list(outside.iterdir()) == []
