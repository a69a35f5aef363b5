"""import_notes PATH [PATH ...] [--deck SLUG] [--dry-run] [--json] [--processes N] — DESIGN §3."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from cards.content.files import (
    IMAGE_SUFFIXES,
    MAX_ASSET_BYTES,
    NOTE_SUFFIXES,
    collect_deck_files,
    deck_info,
    read_file,
)
from cards.content.source import SourceError
from cards.content.sync import ImportFailed, import_deck
from cards.content.workers import available_cores


def deck_folders(folder: Path) -> list[Path]:
    """A folder holding notes is one deck; a folder holding only folders holds several decks."""
    if any(f.is_file() and f.suffix.lower() in NOTE_SUFFIXES for f in folder.iterdir()):
        return [folder]
    return sorted(
        child
        for child in folder.iterdir()
        if child.is_dir() and not child.name.startswith((".", "_"))
    )


class ProgressBar:
    """A one-line progress bar on stderr, for imports long enough to wait on."""

    def __init__(self, stream, label: str, enabled: bool):
        self.stream, self.label, self.enabled = stream, label, enabled

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 20:
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import Markdown notes (a folder, a folder of decks, or files) as decks of cards."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--deck", help="deck slug (default: the folder's name)")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--processes",
            type=int,
            default=available_cores(),
            metavar="N",
            help="process a big deck's notes on N cores at once (default: every core, %(default)s)",
        )
        parser.add_argument(
            "--progress", action="store_true", help="show a progress bar even when not a terminal"
        )

    def handle(self, *args, **options):
        if options["processes"] < 1:
            raise CommandError(f"--processes must be 1 or more; got {options['processes']}")
        jobs = self.plan(options["paths"], options["deck"])
        reports, failed = [], False
        for slug, notes, assets, skipped, remove_missing, info in jobs:
            progress = ProgressBar(
                sys.stderr, f"Importing {slug}", options["progress"] or sys.stderr.isatty()
            )
            try:
                report = import_deck(
                    slug,
                    notes,
                    assets=assets,
                    remove_missing=remove_missing,
                    dry_run=options["dry_run"],
                    **info,
                    progress=progress,
                    processes=options["processes"],
                )
            except ImportFailed as exc:
                report, failed = exc.report, True
            report.warnings += skipped
            reports.append(report)

        if options["json"]:
            data = [r.to_dict() for r in reports]
            self.stdout.write(json.dumps(data[0] if len(data) == 1 else data, indent=2))
        else:
            for report in reports:
                self.write_summary(report, options["dry_run"])
        if failed:
            errors = [e for r in reports for e in r.errors]
            first = errors[0]
            raise CommandError(
                f"{first['file']}: {first['message']}"
                + (f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else "")
                + "; nothing was imported"
            )

    def plan(self, paths, deck_option):
        """Turn PATHs into (deck slug, note files, assets, skipped, remove_missing, deck info)."""
        jobs = []
        loose: dict[str, list] = {}
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                raise CommandError(f"{raw}: no such file or folder")
            if path.is_dir():
                folders = [path] if deck_option else deck_folders(path)
                if not folders:
                    raise CommandError(
                        f"{raw}: no notes ({', '.join(sorted(NOTE_SUFFIXES))}) found"
                    )
                for folder in folders:
                    notes, assets, skipped = collect_deck_files(folder)
                    slug = deck_option or slugify(folder.resolve().name) or "notes"
                    try:
                        info = deck_info(folder)
                    except SourceError as exc:
                        raise CommandError(f"{folder}/{exc}") from None
                    jobs.append((slug, notes, assets, skipped, True, info))
            elif path.suffix.lower() in NOTE_SUFFIXES:
                slug = deck_option or slugify(path.resolve().parent.name) or "notes"
                loose.setdefault(slug, []).append(read_file(path, path.name))
            elif path.suffix.lower() in IMAGE_SUFFIXES:
                slug = deck_option or slugify(path.resolve().parent.name) or "notes"
                loose.setdefault(slug, []).append(read_file(path, path.name, MAX_ASSET_BYTES))
            else:
                raise CommandError(
                    f"{raw}: not a note file; expected {', '.join(sorted(NOTE_SUFFIXES))}"
                )
        for slug, files in loose.items():
            notes = [f for f in files if Path(f.path).suffix.lower() in NOTE_SUFFIXES]
            assets = [f for f in files if f not in notes]
            jobs.append((slug, notes, assets, [], False, {}))
        return jobs

    def write_summary(self, report, dry_run):
        notes, cards = report.notes, report.cards
        prefix = "[dry run] " if dry_run else ""
        if report.errors:
            self.stderr.write(f"{prefix}{report.deck}: import failed, nothing changed")
            for error in report.errors:
                self.stderr.write(f"  error   {error['file']}: {error['message']}")
            return
        self.stdout.write(
            f"{prefix}{report.deck}: notes {notes['created']} created, {notes['updated']} updated, "
            f"{notes['unchanged']} unchanged, {notes['removed']} removed; cards {cards['created']} "
            f"created, {cards['updated']} updated, {cards['unchanged']} unchanged, "
            f"{cards['retired']} retired, {report.cards['merged']} asked in another note too "
            f"(merged); {len(report.warnings)} warnings"
        )
        for warning in report.warnings[:50]:
            where = f"{warning['file']}:{warning['line']}" if warning["line"] else warning["file"]
            self.stdout.write(f"  warning {where}: {warning['message']}")
        if len(report.warnings) > 50:
            self.stdout.write(f"  … and {len(report.warnings) - 50} more warnings (use --json)")
