"""Studying cards: the FSRS adapter (pure), the queue, grading, and statistics."""
