"""Taking a deck and one's progress elsewhere: Anki packages, CSV, personal data."""
