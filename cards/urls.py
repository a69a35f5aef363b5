from django.urls import path

from cards.views import calculators, dashboard, notes, portability, problems, quiz, stats, study

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
    path("report-a-problem/", problems.report, name="report_problem"),
    path("quiz/", quiz.home, name="quiz_home"),
    path("quiz/start/", quiz.start, name="quiz_start"),
    path("quiz/<int:attempt_id>/q/<int:number>/", quiz.question, name="quiz_question"),
    path("quiz/<int:attempt_id>/review/", quiz.review, name="quiz_review"),
    path("quiz/<int:attempt_id>/submit/", quiz.submit, name="quiz_submit"),
    path("quiz/<int:attempt_id>/results/", quiz.results, name="quiz_results"),
    path("quiz/<int:attempt_id>/retake/", quiz.retake, name="quiz_retake"),
    path("decks/<slug:deck_slug>/export/anki/", portability.deck_anki, name="deck_export_anki"),
    path("decks/<slug:deck_slug>/export/csv/", portability.deck_csv, name="deck_export_csv"),
    path("decks/<slug:deck_slug>/import/csv/", portability.deck_import_csv, name="deck_import_csv"),
    path("account/data/", portability.my_data, name="my_data"),
    path("account/data/export/", portability.export_my_data, name="export_my_data"),
    path("account/data/import/", portability.import_my_data, name="import_my_data"),
    path("account/delete/", portability.delete_account, name="delete_account"),
    path("calculators/pricing/", calculators.pricing, name="pricing_calculator"),
    path("calculators/limits/", calculators.limits, name="limits_calculator"),
]
