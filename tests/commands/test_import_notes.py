"""The import_notes command, as DESIGN §3 describes it."""

import json

import pytest
from django.core.management import CommandError, call_command

from cards.models import Card, Deck, Note


@pytest.fixture
def deck_dir(tmp_path):
    folder = tmp_path / "my-deck"
    folder.mkdir()
    (folder / "limits.md").write_text("# Limits\n\n- Max timeout? :: 900 seconds\n")
    (folder / "links.md").write_text("# Links\n\nSee [[Limits]] and [[Missing note]].\n")
    return folder


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_notes", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_json_report_has_the_documented_shape(db, deck_dir):
    report = json.loads(run(str(deck_dir), "--json"))
    assert report["deck"] == "my-deck"
    assert report["notes"] == {"created": 2, "updated": 0, "unchanged": 0, "removed": 0}
    assert report["cards"]["created"] == 1
    assert report["errors"] == []
    warning = next(w for w in report["warnings"] if "Missing note" in w["message"])
    assert warning == {"file": "links.md", "line": 3, "message": warning["message"]}


def test_deck_option_names_the_deck(db, deck_dir):
    run(str(deck_dir), "--deck", "lambda")
    assert Deck.objects.get().slug == "lambda"


def test_folder_of_decks_imports_each_subfolder(db, tmp_path, deck_dir):
    (tmp_path / "_facts").mkdir()
    (tmp_path / "_facts" / "ignored.md").write_text("# not a deck\n")
    run(str(tmp_path))
    assert list(Deck.objects.values_list("slug", flat=True)) == ["my-deck"]


def test_dry_run_changes_nothing(db, deck_dir):
    report = json.loads(run(str(deck_dir), "--dry-run", "--json"))
    assert report["notes"]["created"] == 2
    assert not Note.objects.exists()


def test_a_single_file_imports_into_its_folders_deck_without_removing_others(db, deck_dir):
    run(str(deck_dir))
    (deck_dir / "limits.md").write_text("# Limits\n\n- Max timeout? :: 15 minutes\n")
    run(str(deck_dir / "limits.md"))
    assert Card.objects.get(front="Max timeout?").back == "15 minutes"
    assert Note.objects.filter(removed_at__isnull=True).count() == 2


def test_a_binary_file_is_an_error_that_names_it_and_nothing_is_kept(db, deck_dir):
    (deck_dir / "zz-binary.md").write_bytes(b"\x00\x01\x02PNG")
    with pytest.raises(CommandError, match=r"zz-binary\.md: binary file.*nothing was imported"):
        run(str(deck_dir))
    assert not Note.objects.exists()


def test_a_file_over_the_size_limit_is_refused(db, deck_dir):
    (deck_dir / "huge.md").write_bytes(b"- a :: b\n" * (300 * 1024))
    with pytest.raises(CommandError, match=r"huge\.md: file is 2\.6 MB; the limit"):
        run(str(deck_dir))
    assert not Card.objects.exists()


def test_a_missing_path_is_a_one_line_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        run(str(tmp_path / "nope"))


def test_unchanged_reimport_reports_everything_unchanged(db, deck_dir):
    run(str(deck_dir))
    report = json.loads(run(str(deck_dir), "--json"))
    assert report["notes"] == {"created": 0, "updated": 0, "unchanged": 2, "removed": 0}
    assert report["cards"] == {"created": 0, "updated": 0, "unchanged": 1, "retired": 0}


def test_deck_title_and_description_come_from_deck_toml(db, deck_dir):
    (deck_dir / "_deck.toml").write_text('title = "AWS Lambda"\ndescription = "Serverless."\n')
    run(str(deck_dir))
    deck = Deck.objects.get()
    assert (deck.title, deck.description) == ("AWS Lambda", "Serverless.")
    assert not Note.objects.filter(path="_deck.toml").exists()


def test_bad_deck_toml_is_a_clear_error(db, deck_dir):
    (deck_dir / "_deck.toml").write_text("title = \n")
    with pytest.raises(CommandError, match=r"_deck\.toml: not valid TOML"):
        run(str(deck_dir))
