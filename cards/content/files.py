"""Note files in and out of a deck: deck folders, single files, uploads and zips.

Pure: no Django import. Everything here only turns files into NoteFile lists (or refuses them
with a message naming the file); the database side is content/sync.py.
"""

import io
import re
import stat
import tomllib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from cards.content.domains import DomainError, as_data, parse_domains
from cards.content.source import MAX_NOTE_BYTES, SourceError

NOTE_SUFFIXES = {".md", ".markdown", ".txt"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}
MAX_ASSET_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # what one upload may send
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # what all its files and zips may hold once unpacked
MAX_UPLOAD_FILES = 500
MAX_PATH_CHARS = 500  # Note.path and Asset.path
DRIVE = re.compile(r"^[A-Za-z]:")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class NoteFile:
    path: str  # POSIX path inside the deck folder, e.g. "limits.md" or "aws/limits.md"
    data: bytes
    size: int | None = None  # the file's real size when data was cut short at the limit


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def verbatim_text(data: bytes) -> str:
    """The file as text, BOM and line ends untouched, so an export writes the same bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def deck_info(folder) -> dict:
    """Title, description, calculator questions and exam domains from the deck folder's
    optional _deck.toml."""
    path = folder / "_deck.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path.name}: not valid TOML ({exc})") from None
    try:
        domains = parse_domains(data.get("domain", []))
    except DomainError as exc:
        raise SourceError(f"{path.name}: {exc}") from None
    return {
        "deck_title": str(data["title"]) if "title" in data else None,
        "deck_description": str(data["description"]) if "description" in data else None,
        "calculator_questions": bool(data.get("calculator_questions", False)),
        "domains": as_data(domains),
    }


def collect_deck_files(folder) -> tuple[list[NoteFile], list[NoteFile], list[dict]]:
    """Read a deck folder: note files, image assets, and warnings for files we skip. Symbolic
    links are never followed: they could point anywhere on the machine."""
    notes, assets, skipped = [], [], []
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if file.is_symlink():
            message = "symbolic link; not followed, skipped"
            skipped.append({"file": relative.as_posix(), "line": 0, "message": message})
            continue
        if not file.is_file():
            continue
        suffix = file.suffix.lower()
        if suffix in NOTE_SUFFIXES:
            notes.append(read_file(file, relative.as_posix()))
        elif suffix in IMAGE_SUFFIXES:
            assets.append(read_file(file, relative.as_posix(), MAX_ASSET_BYTES))
        else:
            skipped.append(
                {"file": relative.as_posix(), "line": 0, "message": "not a note; skipped"}
            )
    return notes, assets, skipped


def read_file(path, relative: str, limit: int = MAX_NOTE_BYTES) -> NoteFile:
    """Read at most limit + 1 bytes, so a 50 MB file is refused without loading it all."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    size = path.stat().st_size if len(data) > limit else None
    return NoteFile(relative, data, size)


def safe_path(name: str, *, where: str = "") -> str:
    """A path from outside (a zip entry, an upload's name) as a relative POSIX path inside the
    deck folder. Raises ValueError naming it when it is absolute, has a drive letter, climbs
    out with "..", or holds control characters; backslashes count as separators."""
    label = f"{where}: {name!r}" if where else repr(name)
    path = name.replace("\\", "/")
    if CONTROL.search(path):
        raise ValueError(f"{label} has control characters in its name.")
    if path.startswith("/") or DRIVE.match(path):
        raise ValueError(f"{label} is an absolute path; only paths inside the folder are taken.")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"{label} climbs out of the folder with “..”.")
    if not parts:
        raise ValueError(f"{label} is not a file name.")
    path = "/".join(parts)
    if len(path) > MAX_PATH_CHARS:
        raise ValueError(f"{label} is longer than {MAX_PATH_CHARS} characters.")
    return path


def unpack_upload(files: list[tuple[str, bytes]]) -> tuple[list[NoteFile], list[NoteFile]]:
    """Uploaded .md files and zips of a notes folder as notes and images. Raises ValueError
    with a message for the instructor when the upload cannot be used: over its size (sent, or
    unpacked all together), a zip that cannot be read, or a path that is not inside the folder
    (absolute, "..", a drive letter, a symbolic link)."""
    notes, assets = [], []
    total = sum(len(data) for _, data in files)
    if total > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"The upload is {megabytes(total)}; the limit is {megabytes(MAX_UPLOAD_BYTES)}."
        )
    budget = _Unpacked()
    for name, data in files:
        suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
        if suffix == ".zip":
            for path, member_data in _zip_members(name, data, budget):
                _add(notes, assets, path, member_data)
        else:
            budget.take(name, len(data))
            _add(notes, assets, safe_path(name), data)
    if not notes and not assets:
        raise ValueError("Nothing to import: upload .md, .markdown, .txt files or a .zip of them.")
    return notes, assets


class _Unpacked:
    """What an upload holds once unpacked, against MAX_UNPACKED_BYTES."""

    def __init__(self):
        self.left = MAX_UNPACKED_BYTES

    def fits(self, name: str, size: int) -> None:
        if size > self.left:
            raise ValueError(
                f"The upload unpacks to more than {megabytes(MAX_UNPACKED_BYTES)} "
                f"(reached at {name}); that is the limit for one upload."
            )

    def take(self, name: str, size: int) -> None:
        self.fits(name, size)
        self.left -= size


def _zip_members(name: str, data: bytes, budget: _Unpacked):
    """(path inside the deck, bytes) of each file in the zip that is a note or an image."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ValueError(f"{name} is not a valid .zip file.") from None
    if len(members) > MAX_UPLOAD_FILES:
        raise ValueError(f"{name} holds {len(members)} files; the limit is {MAX_UPLOAD_FILES}.")
    for member in members:
        safe_path(member.filename, where=name)  # every entry, before anything is read
        if stat.S_ISLNK(member.external_attr >> 16):
            raise ValueError(f"{name}: {member.filename!r} is a symbolic link; links are refused.")
    budget.fits(name, sum(m.file_size for m in members))  # as the zip declares: refuse early
    root = _common_root([safe_path(m.filename) for m in members])
    for member in members:
        path = safe_path(member.filename)[len(root) :]
        parts = PurePosixPath(path).parts
        if not parts or any(p.startswith((".", "_")) for p in parts):
            continue
        if PurePosixPath(path).suffix.lower() not in NOTE_SUFFIXES | IMAGE_SUFFIXES:
            continue
        yield path, _read_member(name, archive, member, budget)


def _read_member(name: str, archive: zipfile.ZipFile, member, budget: _Unpacked) -> bytes:
    """The member's bytes, read no further than the upload's budget, whatever its header says."""
    try:
        with archive.open(member) as handle:
            data = handle.read(max(budget.left, 0) + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ValueError(f"{name}: {member.filename!r} cannot be unpacked ({exc}).") from None
    budget.take(name, len(data))
    return data


def _common_root(names: list[str]) -> str:
    """A zip of a folder has every file under "folder/": strip it so paths match the deck's."""
    firsts = {name.split("/", 1)[0] for name in names}
    if len(firsts) == 1 and all("/" in name for name in names):
        return firsts.pop() + "/"
    return ""


def _add(notes, assets, path, data):
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in NOTE_SUFFIXES:
        notes.append(NoteFile(path, data))
    elif suffix in IMAGE_SUFFIXES and len(data) <= MAX_ASSET_BYTES:
        assets.append(NoteFile(path, data))
