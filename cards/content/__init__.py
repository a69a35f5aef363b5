"""A note's one reading: source -> block tree -> HTML, cards, questions, links and fact-check
warnings, and the database side that stores what a note yields (sync, authoring)."""
