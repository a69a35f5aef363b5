"""export_anki DECK OUT.apkg [--base-url URL] — a deck's active cards as an Anki package."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from cards.models import Deck
from cards.portability.anki import write_apkg


class Command(BaseCommand):
    help = "Write a deck's active cards to an Anki package (.apkg); exporting again updates them."

    def add_arguments(self, parser):
        parser.add_argument("deck", metavar="DECK", help="the deck's slug")
        parser.add_argument("out", metavar="OUT.apkg", help="file to write")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="where studyapp runs, for the links back to each note (default %(default)s)",
        )
        parser.add_argument(
            "--include-drafts", action="store_true", help="also export cards of unpublished notes"
        )

    def handle(self, *args, deck, out, base_url, include_drafts, **options):
        found = Deck.objects.filter(slug=deck, removed_at__isnull=True).first()
        if found is None:
            known = (
                ", ".join(
                    Deck.objects.filter(removed_at__isnull=True).values_list("slug", flat=True)
                )
                or "none yet"
            )
            raise CommandError(f"no deck {deck!r} (decks: {known})")
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise CommandError(f"--base-url must be an http(s) URL, not {base_url!r}")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"folder {str(path.parent)!r} does not exist")
        try:
            count = write_apkg(found, path, base_url=base_url, include_drafts=include_drafts)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
        self.stdout.write(f"Wrote {count} cards of {found.title} to {out}")
