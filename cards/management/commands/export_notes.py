"""export_notes DECK DIR — write a deck back as Markdown files that re-import to the same cards."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cards.content.authoring import export_deck
from cards.models import Deck


class Command(BaseCommand):
    help = "Write a deck's notes (their exact text) and images to a folder."

    def add_arguments(self, parser):
        parser.add_argument("deck", metavar="DECK")
        parser.add_argument("folder", metavar="DIR")

    def handle(self, *args, **options):
        deck = Deck.objects.filter(slug=options["deck"]).first()
        if deck is None:
            known = ", ".join(Deck.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no deck called {options['deck']!r} (decks: {known})")
        folder = Path(options["folder"])
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            count = export_deck(deck, folder)
        except ValueError as exc:
            raise CommandError(f"{deck.slug}: {exc} Nothing was written.") from None
        self.stdout.write(f"{deck.slug}: {count} notes written to {folder}")
