"""Note files in and out of a deck: deck folders, single files, uploads and zips.

Pure: no Django import. Everything here only turns files into NoteFile lists (or refuses them
with a message naming the file); the database side is content/sync.py.
"""

import io
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from cards.content.domains import DomainError, as_data, parse_domains
from cards.content.source import MAX_NOTE_BYTES, SourceError

NOTE_SUFFIXES = {".md", ".markdown", ".txt"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}
MAX_ASSET_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_FILES = 500


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
    """Read a deck folder: note files, image assets, and warnings for files we skip."""
    notes, assets, skipped = [], [], []
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        relative = file.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts):
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


def unpack_upload(files: list[tuple[str, bytes]]) -> tuple[list[NoteFile], list[NoteFile]]:
    """Uploaded .md files and zips of a notes folder as notes and images. Raises ValueError
    with a message for the instructor when the upload cannot be used."""
    notes, assets = [], []
    total = sum(len(data) for _, data in files)
    if total > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"The upload is {megabytes(total)}; the limit is {megabytes(MAX_UPLOAD_BYTES)}."
        )
    for name, data in files:
        suffix = PurePosixPath(name).suffix.lower()
        if suffix == ".zip":
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                raise ValueError(f"{name} is not a valid .zip file.") from None
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_UPLOAD_FILES:
                raise ValueError(
                    f"{name} holds {len(members)} files; the limit is {MAX_UPLOAD_FILES}."
                )
            if sum(m.file_size for m in members) > MAX_UPLOAD_BYTES:
                raise ValueError(
                    f"{name} unpacks to more than {megabytes(MAX_UPLOAD_BYTES)}; the limit."
                )
            root = _common_root([m.filename for m in members])
            for member in members:
                path = member.filename[len(root) :]
                parts = PurePosixPath(path).parts
                if not parts or any(p.startswith((".", "_")) or p == ".." for p in parts):
                    continue
                _add(notes, assets, path, archive.read(member))
        else:
            _add(notes, assets, PurePosixPath(name).name, data)
    if not notes and not assets:
        raise ValueError("Nothing to import: upload .md, .markdown, .txt files or a .zip of them.")
    return notes, assets


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
