"""Downloads, CSV import and the "Your data" pages over HTTP."""

import io
import json
import sqlite3
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt, Card, CardState, Deck, Note, ReviewLog
from cards.quiz import exams
from cards.study import grading
from cards.study.scheduling import Rating

NOTE = """# Lambda limits

- What is the maximum timeout? :: 900 seconds
- How many layers can a function use? :: 5
"""
DRAFT = "# Secret plans\n\n- Unreleased feature? :: Not yet\n"


@pytest.fixture
def deck(db):
    import_deck(
        "lambda", [NoteFile("limits.md", NOTE.encode()), NoteFile("draft.md", DRAFT.encode())]
    )
    Note.objects.filter(path="draft.md").update(published=False)
    return Deck.objects.get(slug="lambda")


def csv_file(text: str, name="more.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def json_file(data, name="data.json") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def anki_fronts(content: bytes, tmp_path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.anki2") as db:
        return [flds.split("\x1f")[0] for (flds,) in db.execute("SELECT flds FROM notes")]


@pytest.mark.parametrize(
    "url",
    [
        "/decks/lambda/export/anki/",
        "/decks/lambda/export/csv/",
        "/decks/lambda/import/csv/",
        "/account/data/",
        "/account/data/export/",
        "/account/delete/",
    ],
)
def test_visitor_is_sent_to_log_in(client, deck, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_deck_page_offers_the_downloads_and_import_only_to_instructors(alice_client, deck, charlie):
    page = alice_client.get("/decks/lambda/").content.decode()
    assert 'href="/decks/lambda/export/anki/"' in page and ">Download for Anki</a>" in page
    assert 'href="/decks/lambda/export/csv/"' in page
    assert "/decks/lambda/import/csv/" not in page, "students cannot import"
    alice_client.force_login(charlie)
    assert "/decks/lambda/import/csv/" in alice_client.get("/decks/lambda/").content.decode()


def test_account_menu_links_to_your_data(alice_client, deck):
    assert '<a href="/account/data/">Your data</a>' in alice_client.get("/").content.decode()


def test_anki_download_is_a_package_of_the_published_cards(alice_client, deck, tmp_path):
    response = alice_client.get("/decks/lambda/export/anki/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lambda.apkg"'
    fronts = anki_fronts(response.content, tmp_path)
    assert sorted(fronts) == ["How many layers can a function use?", "What is the maximum timeout?"]


def test_anki_links_are_absolute(alice_client, deck, tmp_path):
    content = alice_client.get("/decks/lambda/export/anki/").content
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert b"http://testserver/decks/lambda/notes/limits/#L3" in package.read(
            "collection.anki2"
        )


def test_instructor_downloads_include_draft_notes(charlie_client, deck, tmp_path):
    fronts = anki_fronts(charlie_client.get("/decks/lambda/export/anki/").content, tmp_path)
    assert "Unreleased feature?" in fronts
    assert "Unreleased feature?" in charlie_client.get("/decks/lambda/export/csv/").content.decode()


def test_csv_download_lists_the_cards_students_see(alice_client, deck):
    response = alice_client.get("/decks/lambda/export/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lambda-cards.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.startswith("front,back,kind,note,heading,tags")
    assert "What is the maximum timeout?,900 seconds,basic,limits.md,Lambda limits" in text
    assert "Unreleased" not in text, "draft notes stay hidden from students"


def test_unknown_or_removed_deck_is_404(alice_client, deck):
    assert alice_client.get("/decks/nope/export/csv/").status_code == 404
    Deck.objects.filter(slug="lambda").update(removed_at=timezone.now())
    assert alice_client.get("/decks/lambda/export/anki/").status_code == 404


def test_student_may_not_import_csv(alice_client, deck):
    assert alice_client.get("/decks/lambda/import/csv/").status_code == 403
    response = alice_client.post("/decks/lambda/import/csv/", {"file": csv_file("a,b\n")})
    assert response.status_code == 403
    assert not Note.objects.filter(path__startswith="imported/").exists()


def test_instructor_imports_csv_and_sees_the_report(charlie_client, deck):
    page = charlie_client.get("/decks/lambda/import/csv/").content.decode()
    assert '<label for="id_file">CSV file</label>' in page
    response = charlie_client.post(
        "/decks/lambda/import/csv/", {"file": csv_file("front,back\nWhat is S3?,Storage\n")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Imported into" in page and '<th scope="row">Created</th><td class="num">1</td>' in page
    assert Card.objects.filter(note__path="imported/more.md", front="What is S3?").exists()


def test_bad_csv_shows_why_and_changes_nothing(charlie_client, deck):
    before = Card.objects.count()
    response = charlie_client.post(
        "/decks/lambda/import/csv/", {"file": csv_file("only one column\n")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "has one column" in page and 'role="alert"' in page
    assert Card.objects.count() == before


def test_csv_over_two_megabytes_is_refused(charlie_client, deck):
    big = csv_file("a,b\n" * (600 * 1024))
    page = charlie_client.post("/decks/lambda/import/csv/", {"file": big}).content.decode()
    assert "the limit is 2 MB" in page
    assert not Note.objects.filter(path="imported/more.md").exists()


# Your data


@pytest.fixture
def progress(deck, alice):
    card = Card.objects.filter(Card.in_play()).order_by("pk").first()
    grading.grade(alice, card_id=card.pk, version=0, rating=Rating.GOOD)
    return card


def test_my_data_page_counts_what_you_have(alice_client, progress):
    page = alice_client.get("/account/data/").content.decode()
    assert "You have 1 card state, 1 review and 0 exam attempts." in page
    assert 'href="/account/data/export/"' in page
    assert 'action="/account/data/import/"' in page and 'action="/account/delete/"' in page


def test_export_downloads_a_dated_json_attachment(alice_client, progress):
    response = alice_client.get("/account/data/export/")
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="studyapp-data-alice-{today}.json"'
    )
    data = json.loads(response.content)
    assert data["version"] == 1 and len(data["review_logs"]) == 1


def test_export_holds_only_your_own_data(client, alice, bob, progress):
    client.force_login(bob)
    data = json.loads(client.get("/account/data/export/").content)
    assert data["user"]["username"] == "bob"
    assert data["card_states"] == [] and data["review_logs"] == []


def test_import_lists_what_came_in_and_what_is_unknown(client, alice, bob, progress):
    client.force_login(alice)
    data = json.loads(client.get("/account/data/export/").content)
    data["review_logs"].append(
        {**data["review_logs"][0], "card": {**data["review_logs"][0]["card"], "key": "gone"}}
    )
    client.force_login(bob)
    response = client.post("/account/data/import/", {"file": json_file(data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 card state</li>" in page and "1 review</li>" in page
    assert "Not on this site (1)" in page and "<code>lambda/limits.md#gone</code>" in page
    assert ReviewLog.objects.filter(user=bob).count() == 1


def test_import_twice_does_not_duplicate_reviews(client, alice, bob, progress):
    client.force_login(alice)
    raw = client.get("/account/data/export/").content
    client.force_login(bob)
    client.post("/account/data/import/", {"file": json_file(raw)})
    page = client.post("/account/data/import/", {"file": json_file(raw)}).content.decode()
    assert "0 reviews (1 already here)" in page
    assert ReviewLog.objects.filter(user=bob).count() == 1


def test_malformed_import_says_why_and_changes_nothing(alice_client, alice, deck):
    page = alice_client.post(
        "/account/data/import/", {"file": json_file(b"{oops")}
    ).content.decode()
    assert "not valid JSON" in page and "Nothing was imported." in page
    assert not CardState.objects.filter(user=alice).exists()


def test_an_import_with_a_huge_question_stem_is_refused_before_any_quiz_page(
    client, alice, bob, progress
):
    exams.start(alice, Deck.objects.get(slug="lambda"), mode="practice", count=2)
    client.force_login(alice)
    data = json.loads(client.get("/account/data/export/").content)
    data["attempts"][0]["questions"][0]["stem"] = "<a " * 20000
    data["attempts"][0]["questions"][1]["source_url"] = "javascript:alert(1)"
    client.force_login(bob)
    response = client.post("/account/data/import/", {"file": json_file(data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“stem” is 60,000 characters long; the limit is 10,000" in page
    assert "not a link to this site or an http(s) address" in page
    assert "Nothing was imported." in page
    assert not Attempt.objects.filter(user=bob).exists()


def test_import_page_without_a_file_is_a_form_error(alice_client, deck):
    page = alice_client.post("/account/data/import/", {}).content.decode()
    assert "This field is required." in page


def test_delete_needs_the_username_typed(alice_client, alice, progress):
    page = alice_client.post("/account/delete/", {"username": "bob"}).content.decode()
    assert "That is not your username; nothing was deleted." in page
    assert User.objects.filter(pk=alice.pk).exists()


def test_delete_removes_the_account_logs_out_and_says_so(client, alice, bob, progress):
    grading.grade(bob, card_id=progress.pk, version=0, rating=Rating.EASY)
    client.force_login(alice)
    response = client.post("/account/delete/", {"username": "alice"}, follow=True)
    assert "The account alice and all its data have been deleted." in response.content.decode()
    assert not User.objects.filter(username="alice").exists()
    assert CardState.objects.count() == 1 and ReviewLog.objects.get().user == bob
    after = client.get("/account/data/")
    assert after.status_code == 302 and "/accounts/login/" in after.url, "logged out"


def test_delete_page_asks_for_confirmation(alice_client, alice):
    page = alice_client.get("/account/delete/").content.decode()
    assert "Type your username to confirm" in page and ">Delete my account</button>" in page
    assert User.objects.filter(pk=alice.pk).exists(), "a GET deletes nothing"


@pytest.mark.parametrize(
    "url, data",
    [
        ("/account/delete/", {"username": "charlie"}),
        ("/account/data/import/", {}),
        ("/decks/lambda/import/csv/", {}),
    ],
)
def test_posts_without_a_csrf_token_are_refused(deck, charlie, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(charlie)
    if url != "/account/delete/":
        data = {"file": csv_file("a,b\n") if "csv" in url else json_file(b"{}")}
    assert client.post(url, data).status_code == 403
    assert User.objects.filter(username="charlie").exists()
    assert not Note.objects.filter(path__startswith="imported/").exists()
