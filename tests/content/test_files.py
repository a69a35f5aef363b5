"""Files from outside: uploads and zips are unpacked inside the deck folder, within their size."""

import io
import stat
import struct
import zipfile

import pytest

from cards.content.files import (
    MAX_UNPACKED_BYTES,
    collect_deck_files,
    safe_path,
    unpack_upload,
)

NOTE = "# A\n\n- Q? :: A\n"


def zip_of(*entries: tuple[str, str | bytes], symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
        if symlink:
            link = zipfile.ZipInfo(symlink)
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def test_a_zip_of_a_folder_unpacks_inside_the_deck():
    notes, assets = unpack_upload([("n.zip", zip_of(("notes/a.md", NOTE), ("notes/b/c.md", NOTE)))])
    assert [note.path for note in notes] == ["a.md", "b/c.md"] and assets == []


@pytest.mark.parametrize(
    "entry, reason",
    [
        ("/some/dir/abs.md", "is an absolute path"),
        ("C:/notes/abs.md", "is an absolute path"),
        ("c:evil.md", "is an absolute path"),
        ("..\\..\\up.md", "climbs out of the folder"),
        ("notes/../../up.md", "climbs out of the folder"),
        ("notes/a\x01.md", "control characters"),
    ],
)
def test_a_zip_entry_outside_the_folder_is_refused_with_its_name(entry, reason):
    with pytest.raises(ValueError, match=reason) as refused:
        unpack_upload([("notes.zip", zip_of(("notes/ok.md", NOTE), (entry, NOTE)))])
    assert "notes.zip" in str(refused.value) and repr(entry)[1:-1][:8] in str(refused.value)


def test_a_symbolic_link_in_a_zip_is_refused_with_its_name():
    with pytest.raises(ValueError, match="'notes/passwd.md' is a symbolic link"):
        unpack_upload([("notes.zip", zip_of(("notes/ok.md", NOTE), symlink="notes/passwd.md"))])


def test_an_uploaded_file_name_with_a_drive_or_a_climb_is_refused():
    with pytest.raises(ValueError, match="absolute path"):
        unpack_upload([("C:\\Users\\me\\a.md", NOTE.encode())])
    assert safe_path("./notes//a.md") == "notes/a.md", "harmless oddities are tidied"


def test_many_zips_that_unpack_past_the_limit_together_are_refused():
    # Ten small zips, each unpacking to just under the limit: the limit is for the upload.
    big = zip_of(("notes/big.md", "x" * (MAX_UNPACKED_BYTES // 2 + 1)))
    assert len(big) < 100_000
    unpack_upload([("one.zip", big)])
    with pytest.raises(ValueError, match="unpacks to more than 20.0 MB"):
        unpack_upload([(f"z{i}.zip", big) for i in range(10)])


def lying_zip(declared_size: int) -> bytes:
    """A zip whose headers say its one file is `declared_size` bytes, whatever it holds."""
    data = bytearray(zip_of(("notes/a.md", NOTE * 100)))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", declared_size)
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = struct.pack("<I", declared_size)
    return bytes(data)


@pytest.mark.parametrize("size, reason", [(10, "cannot be unpacked"), (2**32 - 1, "20.0 MB")])
def test_a_zip_whose_header_lies_about_a_size_is_refused_with_a_message(size, reason):
    with pytest.raises(ValueError, match=reason):
        unpack_upload([("notes.zip", lying_zip(size))])


def test_a_symbolic_link_in_a_deck_folder_is_skipped_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n")
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "a.md").write_text(NOTE)
    (deck / "link.md").symlink_to(outside / "secret.md")
    (deck / "folder").symlink_to(outside)
    notes, _, skipped = collect_deck_files(deck)
    assert [note.path for note in notes] == ["a.md"]
    assert {s["file"] for s in skipped} == {"link.md", "folder"}
    assert all("symbolic link" in s["message"] for s in skipped)
