"""Instructor authoring addresses; included at the root next to cards.urls."""

from django.urls import path

from cards.views import authoring, problems

NOTE = "decks/<slug:deck_slug>/notes/<slug:note_slug>/"

urlpatterns = [
    path("decks/new/", authoring.deck_new, name="deck_new"),
    path("decks/<slug:deck_slug>/edit/", authoring.deck_edit, name="deck_edit"),
    path("decks/<slug:deck_slug>/delete/", authoring.deck_delete, name="deck_delete"),
    path("decks/<slug:deck_slug>/upload/", authoring.deck_upload, name="deck_upload"),
    path(
        "decks/<slug:deck_slug>/upload/<int:pending_id>/",
        authoring.deck_upload_confirm,
        name="deck_upload_confirm",
    ),
    path("decks/<slug:deck_slug>/new-note/", authoring.note_new, name="note_new"),
    path(
        "decks/<slug:deck_slug>/new-note/preview/",
        authoring.note_new_preview,
        name="note_new_preview",
    ),
    path(NOTE + "edit/", authoring.note_edit, name="note_edit"),
    path(NOTE + "preview/", authoring.note_preview, name="note_preview"),
    path(NOTE + "rename/", authoring.note_rename, name="note_rename"),
    path(NOTE + "delete/", authoring.note_delete, name="note_delete"),
    path(NOTE + "restore/", authoring.note_restore, name="note_restore"),
    path(NOTE + "publish/", authoring.note_publish, name="note_publish"),
    path(NOTE + "history/", authoring.note_history, name="note_history"),
    path(
        NOTE + "history/<int:rev>/restore/",
        authoring.note_restore_revision,
        name="note_restore_revision",
    ),
    path("cards/<int:card_id>/suppress/", authoring.card_suppress, name="card_suppress"),
    path("cards/<int:card_id>/keep-apart/", authoring.card_keep_apart, name="card_keep_apart"),
    path("decks/<slug:deck_slug>/questions/", problems.deck_questions, name="deck_questions"),
    path(
        "decks/<slug:deck_slug>/questions/suppress/",
        problems.question_suppress,
        name="question_suppress",
    ),
    path("reports/<int:report_id>/", problems.report_handle, name="report_handle"),
]
