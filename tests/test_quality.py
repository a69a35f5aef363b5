"""Floors under `make quality`: the cards made from the labelled corpus of messy notes and from
content/ cannot silently get worse (QUALITY.md; the figures are in README)."""

from quality.evaluate import measure


def test_cards_of_the_corpus_and_of_content_meet_the_quality_floors(db):
    results = measure()  # one import of both decks (about 5 s), so one test
    for deck in ("corpus", "content"):
        figures = results[deck]["figures"]
        failing = [(card["note"], card["line"], card["front"], card["rules"])
                   for card in results[deck]["failing"]]  # fmt: skip
        assert figures["passing_share"] >= 0.95, (deck, failing[:10])
        assert figures["same_front_different_answer"] == 0, (deck, failing[:10])
        assert figures["leftover_markup"] == 0, (deck, failing[:10])
        assert figures["unmerged_duplicates"] == 0, (deck, failing[:10])
        assert figures["questions_passing_share"] >= 0.95, results[deck]["failing_questions"]
        assert figures["wrong_keys"] == 0
        assert figures["repeated_facts_per_exam"] == 0
        assert figures["key_longest_share"] <= 0.35
        assert min(figures["questions_per_exam"]) == 65
    corpus = results["corpus"]["figures"]
    assert corpus["gold_recall"] >= 0.90, corpus["gold_missed"]
    assert corpus["wrong_figures_flagged"] == "2 of 2"
    assert corpus["correct_figures_flagged"] == []
