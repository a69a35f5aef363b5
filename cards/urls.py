from django.urls import path

from cards.views import dashboard, notes, stats, study

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("decks/", notes.deck_list, name="deck_list"),
    path("decks/<slug:deck_slug>/", notes.deck_detail, name="deck"),
    path("decks/<slug:deck_slug>/notes/<slug:note_slug>/", notes.note_detail, name="note"),
    path(
        "decks/<slug:deck_slug>/notes/<slug:note_slug>/cards/",
        notes.note_cards,
        name="note_cards",
    ),
    path("decks/<slug:deck_slug>/assets/<path:path>", notes.asset, name="asset"),
    path("study/", study.study_page, name="study"),
    path("study/deck/<slug:deck_slug>/", study.study_page, name="study_deck"),
    path("study/deck/<slug:deck_slug>/note/<slug:note_slug>/", study.study_page, name="study_note"),
    path("study/cards/<int:card_id>/unsuspend/", study.unsuspend, name="unsuspend"),
    path("settings/study/", dashboard.study_settings, name="study_settings"),
    path("stats/", stats.stats_page, name="stats"),
]
