"""Instructor authoring pages: editor and preview, revisions, conflicts, uploads, suppression."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cards.content import authoring
from cards.content.source import MAX_NOTE_BYTES
from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, Deck, Note, NoteRevision, PendingUpload
from cards.roles import INSTRUCTORS

LIMITS = "# Lambda limits\n\n- Max timeout? :: 900 seconds\n- Max memory? :: 10240 MB\n"


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("limits.md", LIMITS.encode())])
    return Deck.objects.get(slug="lambda")


@pytest.fixture
def note(deck):
    return Note.objects.get(deck=deck, path="limits.md")


@pytest.fixture
def dana(db):
    """A second instructor, for conflicts and ownership."""
    user = User.objects.create_user("dana", password="x")
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    return user


def note_url(name, note, *args):
    return reverse(name, args=[note.deck.slug, note.slug, *args])


def edit(client, note, text, *, version=None, **extra):
    data = {"source": text, "base_version": note.version if version is None else version, **extra}
    return client.post(note_url("note_edit", note), data)


def every_authoring_url(deck, note, dana):
    """(method, url) for every authoring address, with real objects behind each."""
    card = note.cards.first()
    revision = note.revisions.first()
    pending = authoring.stage_upload(deck, [("extra.md", b"# Extra\n\n- A? :: B\n")], user=dana)
    return [
        ("get", note_url("note_edit", note)),
        ("post", note_url("note_preview", note)),
        ("get", reverse("note_new", args=[deck.slug])),
        ("post", reverse("note_new_preview", args=[deck.slug])),
        ("get", note_url("note_rename", note)),
        ("get", note_url("note_delete", note)),
        ("post", note_url("note_restore", note)),
        ("post", note_url("note_publish", note)),
        ("get", note_url("note_history", note)),
        ("post", note_url("note_restore_revision", note, revision.pk)),
        ("post", reverse("card_suppress", args=[card.pk])),
        ("get", reverse("deck_new")),
        ("get", reverse("deck_edit", args=[deck.slug])),
        ("get", reverse("deck_delete", args=[deck.slug])),
        ("get", reverse("deck_upload", args=[deck.slug])),
        ("get", reverse("deck_upload_confirm", args=[deck.slug, pending.pk])),
    ]


def test_visitor_is_sent_to_log_in_from_every_authoring_url(client, note, dana):
    for method, url in every_authoring_url(note.deck, note, dana):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_student_gets_403_from_every_authoring_url_and_nothing_changes(alice_client, note, dana):
    for method, url in every_authoring_url(note.deck, note, dana):
        assert getattr(alice_client, method)(url).status_code == 403, url
        assert alice_client.post(url, {"source": "# Hacked\n"}).status_code == 403, url
    note.refresh_from_db()
    assert note.source == LIMITS and note.published, "a student's POST changed nothing"


def test_instructor_reaches_every_authoring_url(client, note, dana):
    client.force_login(dana)  # the pending upload is dana's: only its owner may see it
    for method, url in every_authoring_url(note.deck, note, dana):
        response = getattr(client, method)(url, HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 302), f"{method} {url}: {response.status_code}"


def test_unknown_note_deck_and_card_answer_404(charlie_client, note):
    assert charlie_client.get(reverse("note_edit", args=["lambda", "nope"])).status_code == 404
    assert charlie_client.get(reverse("deck_upload", args=["nope"])).status_code == 404
    assert charlie_client.post(reverse("card_suppress", args=[99999])).status_code == 404


def test_note_page_deck_page_and_card_list_show_authoring_links_to_instructors_only(
    client, alice, charlie, note
):
    pages = [
        (note.get_absolute_url(), note_url("note_edit", note)),
        (note.deck.get_absolute_url(), reverse("deck_upload", args=["lambda"])),
        (note.deck.get_absolute_url(), reverse("note_new", args=["lambda"])),
        (note_url("note_cards", note), reverse("card_suppress", args=[note.cards.first().pk])),
    ]
    for user, shown in [(alice, False), (charlie, True)]:
        client.force_login(user)
        for page, link in pages:
            assert (link in client.get(page).content.decode()) is shown, (user.username, link)


def test_editor_shows_the_labelled_source_and_a_preview_of_its_cards(charlie_client, note):
    content = charlie_client.get(note_url("note_edit", note)).content.decode()
    assert '<label for="source">Source</label>' in content
    assert 'id="source"' in content and "Max timeout? :: 900 seconds" in content
    assert f'name="base_version" value="{note.version}"' in content
    assert 'id="preview"' in content and "10240 MB" in content, "the preview lists the cards"
    assert 'hx-trigger="input changed delay:400ms from:#source"' in content
    assert ">Save</button>" in content


def test_saving_changes_the_note_its_cards_and_keeps_a_revision(charlie_client, charlie, note):
    revisions = note.revisions.count()
    response = edit(charlie_client, note, LIMITS + "- Max layers? :: 5\n", message="Add layers")
    assert response.status_code == 302 and response.url == note.get_absolute_url()
    note.refresh_from_db()
    assert "Max layers?" in note.source
    assert note.cards.filter(front="Max layers?", status=Card.Status.ACTIVE).exists()
    assert note.revisions.count() == revisions + 1
    latest = note.revisions.first()
    assert (latest.author, latest.message) == (charlie, "Add layers")
    assert latest.source == note.source, "a revision keeps the full text"


def test_browser_line_endings_do_not_change_a_note_written_with_newlines(charlie_client, note):
    edit(charlie_client, note, (LIMITS + "- Max layers? :: 5\n").replace("\n", "\r\n"))
    note.refresh_from_db()
    assert "\r" not in note.source, "the textarea's CRLF was turned back into the note's LF"


def test_review_history_survives_an_edit(charlie_client, alice, note):
    card = note.cards.get(front="Max timeout?")
    CardState.objects.create(user=alice, card=card, reps=3)
    edit(charlie_client, note, LIMITS.replace("10240 MB", "10,240 MB") + "- New? :: yes\n")
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE
    assert CardState.objects.filter(user=alice, card=card, reps=3).exists()


def test_stale_base_version_gets_the_conflict_page_and_keeps_the_other_save(
    client, charlie, dana, note
):
    opened_at = note.version
    client.force_login(dana)
    edit(client, note, LIMITS + "- Dana's line? :: hers\n", version=opened_at)
    client.force_login(charlie)
    response = edit(client, note, LIMITS + "- Charlie's line? :: his\n", version=opened_at)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dana&#x27;s line?" in content and "Charlie&#x27;s line?" in content, "both texts"
    assert "Save mine anyway" in content and "Discard mine" in content
    note.refresh_from_db()
    assert "Dana's line?" in note.source and "Charlie's" not in note.source, "not overwritten"
    assert f'name="base_version" value="{note.version}"' in content, "save-anyway is current"


def test_save_mine_anyway_overwrites_with_the_version_the_conflict_page_gave(
    charlie_client, dana, note
):
    authoring.save_note(note, text=LIMITS + "- Other? :: x\n", author=dana, base_version=1)
    note.refresh_from_db()
    response = edit(charlie_client, note, LIMITS + "- Mine? :: y\n", version=note.version)
    assert response.status_code == 302
    note.refresh_from_db()
    assert "Mine?" in note.source
    assert note.revisions.filter(source__contains="Other?").exists(), "the other text is kept"


def test_text_that_cannot_be_imported_is_not_saved_and_stays_in_the_editor(charlie_client, note):
    huge = "# Big\n\n" + "x" * (MAX_NOTE_BYTES + 10)
    response = edit(charlie_client, note, huge)
    assert response.status_code == 200 and b"Not saved" in response.content
    note.refresh_from_db()
    assert note.source == LIMITS


def test_preview_partial_for_htmx_and_the_whole_editor_without_it(charlie_client, note):
    url = note_url("note_preview", note)
    text = {"source": LIMITS + "- Fresh term: a fresh definition\n\nSee [[Nowhere]].\n"}
    partial = charlie_client.post(url, text, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="preview"'), "only the preview box"
    assert "Fresh term" in partial and "a fresh definition" in partial
    assert "line 7</a>: broken link to [[Nowhere]]" in partial, "the warning names its line"
    whole = charlie_client.post(url, text).content.decode()
    assert "<html" in whole and "Fresh term" in whole and 'id="source"' in whole
    note.refresh_from_db()
    assert "Fresh term" not in note.source, "a preview saves nothing"


def test_preview_button_without_javascript_shows_the_posted_text_unsaved(charlie_client, note):
    response = edit(charlie_client, note, LIMITS + "- Shown? :: only\n", preview="1")
    assert response.status_code == 200 and b"Shown?" in response.content
    note.refresh_from_db()
    assert "Shown?" not in note.source


def test_new_note_is_a_draft_students_do_not_see_until_published(client, alice, charlie, deck):
    client.force_login(charlie)
    preview = client.post(
        reverse("note_new_preview", args=["lambda"]),
        {"path": "vpc.md", "source": "# VPC\n\n- ENI? :: a network interface\n"},
        HTTP_HX_REQUEST="true",
    )
    assert b"a network interface" in preview.content
    response = client.post(
        reverse("note_new", args=["lambda"]),
        {"path": "vpc.md", "source": "# VPC\n\n- ENI? :: a network interface\n"},
    )
    note = Note.objects.get(deck=deck, path="vpc.md")
    assert response.status_code == 302 and response.url == note_url("note_edit", note)
    assert not note.published
    client.force_login(alice)
    assert client.get(note.get_absolute_url()).status_code == 404, "a draft is hidden"
    client.force_login(charlie)
    client.post(note_url("note_publish", note), {"published": "1"})
    client.force_login(alice)
    assert client.get(note.get_absolute_url()).status_code == 200


def test_new_note_with_a_taken_path_says_so(charlie_client, note):
    response = charlie_client.post(
        reverse("note_new", args=["lambda"]), {"path": "limits.md", "source": "# Again\n"}
    )
    assert response.status_code == 200 and b"already has a note" in response.content


def test_rename_delete_and_restore_a_note(charlie_client, note):
    charlie_client.post(note_url("note_rename", note), {"new_path": "aws/limits.md"})
    note.refresh_from_db()
    assert note.path == "aws/limits.md"
    charlie_client.post(note_url("note_delete", note))
    note.refresh_from_db()
    assert note.removed_at is not None
    assert not note.cards.filter(status=Card.Status.ACTIVE).exists(), "its cards are retired"
    editor = charlie_client.get(note_url("note_edit", note))
    assert b"Restore note" in editor.content, "a deleted note can still be opened to restore"
    charlie_client.post(note_url("note_restore", note))
    note.refresh_from_db()
    assert note.removed_at is None and note.cards.filter(status=Card.Status.ACTIVE).count() == 2


def test_history_compares_two_revisions_and_restores_one(charlie_client, charlie, note):
    first = note.revisions.get()
    authoring.save_note(
        note, text=LIMITS.replace("900 seconds", "15 minutes"), author=charlie, base_version=1
    )
    second = note.revisions.exclude(pk=first.pk).get()
    url = note_url("note_history", note)
    listing = charlie_client.get(url).content.decode()
    assert "charlie" in listing and "Restore this version" in listing
    diff = charlie_client.get(url, {"a": second.pk, "b": first.pk}).content.decode()
    assert '<li class="diff-del">' in diff and '<li class="diff-add">' in diff
    assert diff.index("900 seconds") < diff.index("15 minutes"), "older text shown as removed"

    response = charlie_client.post(note_url("note_restore_revision", note, first.pk))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.source == LIMITS
    assert note.revisions.count() == 3, "a restore is a new revision; nothing is lost"


def test_revision_of_another_note_cannot_be_restored_here(charlie_client, note):
    import_deck("lambda", [NoteFile("other.md", b"# Other\n")], remove_missing=False)
    other = NoteRevision.objects.get(note__path="other.md")
    url = note_url("note_restore_revision", note, other.pk)
    assert charlie_client.post(url).status_code == 404


def upload(client, *files):
    return client.post(reverse("deck_upload", args=["lambda"]), {"files": list(files)})


def test_upload_is_a_dry_run_until_applied(charlie_client, note):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("notes/pricing.md", "# Pricing\n\n- Free requests? :: 1 million\n")
        archive.writestr("notes/limits.md", LIMITS + "- Max layers? :: 5\n")
    response = upload(charlie_client, SimpleUploadedFile("notes.zip", data.getvalue()))
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 new · 1 changed" in content, "the dry run counts notes"
    assert ">Apply</button>" in content and ">Cancel</button>" in content
    assert not Note.objects.filter(path="pricing.md").exists(), "nothing imported yet"

    pending = PendingUpload.objects.get()
    confirm = reverse("deck_upload_confirm", args=["lambda", pending.pk])
    assert charlie_client.post(confirm, {"action": "apply"}).status_code == 302
    assert Note.objects.filter(path="pricing.md").exists()
    assert "Max layers?" in Note.objects.get(path="limits.md").source
    assert not PendingUpload.objects.exists()


def test_cancelled_upload_changes_nothing(charlie_client, note):
    upload(charlie_client, SimpleUploadedFile("new.md", b"# New\n\n- Q? :: A\n"))
    pending = PendingUpload.objects.get()
    confirm = reverse("deck_upload_confirm", args=["lambda", pending.pk])
    charlie_client.post(confirm, {"action": "cancel"})
    assert not PendingUpload.objects.exists() and not Note.objects.filter(path="new.md").exists()


def test_upload_of_a_three_megabyte_note_is_refused_with_a_message(charlie_client, note):
    big = SimpleUploadedFile("big.md", b"# Big\n\n" + b"word " * (3 * 1024 * 1024 // 5))
    response = upload(charlie_client, big)
    assert response.status_code == 200
    assert b"big.md is 3.0 MB; a note may be at most 2.0 MB" in response.content
    assert not PendingUpload.objects.exists()


def test_upload_of_a_broken_zip_is_refused_with_a_message(charlie_client, note):
    response = upload(charlie_client, SimpleUploadedFile("notes.zip", b"not a zip"))
    assert b"not a valid .zip file" in response.content
    assert not PendingUpload.objects.exists()


def test_upload_of_a_zip_with_an_absolute_path_is_refused_naming_it(charlie_client, note):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("notes/ok.md", "# Ok\n")
        archive.writestr("/some/dir/abs.md", "# Abs\n")
    response = upload(charlie_client, SimpleUploadedFile("notes.zip", data.getvalue()))
    assert response.status_code == 200
    assert (
        "notes.zip: &#x27;/some/dir/abs.md&#x27; is an absolute path" in response.content.decode()
    )
    assert not PendingUpload.objects.exists() and not Note.objects.filter(path__contains="abs")


def test_a_pending_upload_expires_after_an_hour(charlie_client, charlie, note):
    pending = authoring.stage_upload(note.deck, [("new.md", b"# New\n")], user=charlie)
    PendingUpload.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(minutes=61)
    )
    confirm = reverse("deck_upload_confirm", args=["lambda", pending.pk])
    response = charlie_client.post(confirm, {"action": "apply"})
    assert response.status_code == 302 and response.url == reverse("deck_upload", args=["lambda"])
    assert not PendingUpload.objects.exists() and not Note.objects.filter(path="new.md")
    page = charlie_client.get(response.url).content.decode()
    assert "has expired; upload it again" in page


def test_staging_an_upload_discards_expired_ones_and_keeps_three_per_instructor(
    charlie, dana, note
):
    old = authoring.stage_upload(note.deck, [("old.md", b"# Old\n")], user=dana)
    PendingUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    staged = [
        authoring.stage_upload(note.deck, [(f"n{i}.md", b"# N\n")], user=charlie) for i in range(5)
    ]
    assert not PendingUpload.objects.filter(pk=old.pk).exists(), "another's expired one too"
    kept = set(PendingUpload.objects.values_list("pk", flat=True))
    assert kept == {p.pk for p in staged[-3:]}, "the three newest are kept"


def test_upload_page_shows_the_size_limits(charlie_client, note):
    content = charlie_client.get(reverse("deck_upload", args=["lambda"])).content.decode()
    assert "20.0 MB per upload" in content and "2.0 MB per note" in content
    assert 'accept=".md,.markdown,.txt,.zip"' in content and "multiple" in content


def test_another_instructors_pending_upload_answers_404(charlie_client, dana, deck):
    pending = authoring.stage_upload(deck, [("x.md", b"# X\n")], user=dana)
    url = reverse("deck_upload_confirm", args=["lambda", pending.pk])
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url, {"action": "apply"}).status_code == 404


def test_suppress_and_unsuppress_a_card(charlie_client, note):
    card = note.cards.get(front="Max timeout?")
    response = charlie_client.post(reverse("card_suppress", args=[card.pk]))
    assert response.status_code == 302
    assert response.url == note_url("note_cards", note) + f"#card-{card.pk}"
    card.refresh_from_db()
    assert card.status == Card.Status.SUPPRESSED
    listing = charlie_client.get(note_url("note_cards", note)).content.decode()
    assert ">Unsuppress</button>" in listing
    charlie_client.post(reverse("card_suppress", args=[card.pk]))
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE, "a second click undoes the first"


def test_suppress_button_states_what_it_does_so_a_double_submit_is_harmless(charlie_client, note):
    card = note.cards.get(front="Max timeout?")
    for _ in range(2):
        charlie_client.post(reverse("card_suppress", args=[card.pk]), {"suppressed": "1"})
    card.refresh_from_db()
    assert card.status == Card.Status.SUPPRESSED


def test_instructor_creates_edits_and_deletes_a_deck(charlie_client, alice, client):
    response = charlie_client.post(
        reverse("deck_new"), {"title": "Amazon S3", "slug": "s3", "description": "Buckets"}
    )
    assert response.status_code == 302
    charlie_client.post(reverse("deck_edit", args=["s3"]), {"title": "S3", "description": ""})
    assert Deck.objects.get(slug="s3").title == "S3"
    taken = charlie_client.post(reverse("deck_new"), {"title": "Again", "slug": "s3"})
    assert taken.status_code == 200 and b"exists already" in taken.content
    long = charlie_client.post(
        reverse("deck_edit", args=["s3"]), {"title": "S3", "description": "x" * 2_001}
    )
    assert b"at most 2000 characters (it has 2001)" in long.content
    charlie_client.post(reverse("deck_delete", args=["s3"]))
    assert charlie_client.get(reverse("deck_edit", args=["s3"])).status_code == 404
