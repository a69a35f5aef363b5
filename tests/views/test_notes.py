"""Deck list, deck page, note page, card list and images."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, Deck, Note

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


@pytest.fixture
def deck(db):
    import_deck(
        "lambda",
        [
            NoteFile(
                "limits.md",
                b"# Lambda limits\n\nSee [[Pricing]].\n\n- Max timeout? :: 900 seconds\n"
                b"\n![[diagram.png]] ![[gone.png]]\n",
            ),
            NoteFile("pricing.md", b"# Pricing\n\nBack to [[Lambda limits|the limits]].\n"),
        ],
        assets=[NoteFile("images/diagram.png", PNG)],
    )


def test_visitor_is_sent_to_log_in_from_every_note_page(client, deck):
    for url in [
        reverse("deck_list"),
        reverse("deck", args=["lambda"]),
        reverse("note", args=["lambda", "limits"]),
        reverse("note_cards", args=["lambda", "limits"]),
        reverse("asset", args=["lambda", "images/diagram.png"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_deck_list_shows_note_and_card_counts(alice_client, deck):
    response = alice_client.get(reverse("deck_list"))
    assert b"2 notes" in response.content
    assert b"1 card" in response.content


def test_note_page_shows_rendered_note_backlinks_and_line_anchors(alice_client, deck):
    response = alice_client.get(reverse("note", args=["lambda", "limits"]))
    content = response.content.decode()
    assert "<h1" in content and "Lambda limits" in content
    assert 'id="L5"' in content, "the card's line has an anchor"
    assert reverse("note", args=["lambda", "pricing"]) in content
    assert "Linked from" in content and ">Pricing</a>" in content


def test_missing_embed_is_a_visible_placeholder_and_present_one_an_image(alice_client, deck):
    content = alice_client.get(reverse("note", args=["lambda", "limits"])).content.decode()
    assert reverse("asset", args=["lambda", "images/diagram.png"]) in content
    assert "gone.png" in content and "embed-missing" in content


def test_asset_is_served_with_its_type_and_a_sandbox(alice_client, deck):
    response = alice_client.get(reverse("asset", args=["lambda", "images/diagram.png"]))
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == PNG


def test_an_unchanged_asset_answers_304(alice_client, deck):
    url = reverse("asset", args=["lambda", "images/diagram.png"])
    etag = alice_client.get(url)["ETag"]
    again = alice_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag


def test_an_asset_only_a_draft_shows_or_of_a_removed_deck_is_404_to_students(
    alice_client, charlie, deck
):
    charlie_client = Client()
    charlie_client.force_login(charlie)
    url = reverse("asset", args=["lambda", "images/diagram.png"])
    Note.objects.filter(slug="limits").update(published=False)
    assert alice_client.get(url).status_code == 404, "only a draft shows it"
    assert charlie_client.get(url).status_code == 200, "the instructor sees drafts"
    Note.objects.filter(slug="limits").update(published=True)
    Deck.objects.filter(slug="lambda").update(removed_at=timezone.now())
    assert alice_client.get(url).status_code == 404
    assert charlie_client.get(url).status_code == 404


def test_card_list_shows_what_each_line_produced_with_a_link_to_it(alice_client, deck):
    response = alice_client.get(reverse("note_cards", args=["lambda", "limits"]))
    content = response.content.decode()
    assert "Max timeout?" in content and "900 seconds" in content
    assert reverse("note", args=["lambda", "limits"]) + "#L5" in content


def test_unknown_note_and_removed_note_answer_404(alice_client, deck):
    assert alice_client.get(reverse("note", args=["lambda", "nope"])).status_code == 404
    Note.objects.filter(path="pricing.md").update(removed_at="2026-01-01T00:00Z")
    assert alice_client.get(reverse("note", args=["lambda", "pricing"])).status_code == 404


def test_import_warnings_are_shown_to_instructors_only(client, alice, charlie, deck):
    url = reverse("note", args=["lambda", "limits"])
    client.force_login(alice)
    assert b"Import warnings" not in client.get(url).content
    client.force_login(charlie)
    assert b"Import warnings" in client.get(url).content


def test_note_page_costs_a_fixed_number_of_queries(
    alice_client, deck, django_assert_max_num_queries
):
    Card.objects.update()
    with django_assert_max_num_queries(8):
        alice_client.get(reverse("note", args=["lambda", "limits"]))


NOTE_LINK = re.compile(r'href="/decks/lambda/notes/[^/"]+/"')


@pytest.mark.parametrize("who", ["alice_client", "charlie_client"])
def test_deck_page_costs_the_same_queries_for_forty_notes_as_for_two(
    request, who, deck, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    url = reverse("deck", args=["lambda"])
    with django_assert_max_num_queries(8):
        two = client.get(url).content.decode()
    assert len(NOTE_LINK.findall(two)) == 2
    more = [
        NoteFile(f"topic-{i:02}.md", f"# Topic {i}\n\n- Q{i}? :: A{i}\n".encode())
        for i in range(38)
    ]
    import_deck("lambda", more, remove_missing=False)
    with django_assert_max_num_queries(8):
        forty = client.get(url).content.decode()
    assert len(NOTE_LINK.findall(forty)) == 40, "every note is linked"
    assert 'href="/decks/lambda/notes/topic-07/"' in forty


def test_a_big_deck_lists_its_notes_a_hundred_to_a_page(
    alice_client, deck, django_assert_max_num_queries
):
    more = [
        NoteFile(f"topic-{i:03}.md", f"# Topic {i}\n\n- Q{i}? :: A{i}\n".encode())
        for i in range(148)
    ]
    import_deck("lambda", more, remove_missing=False)  # 150 notes, in path order
    url = reverse("deck", args=["lambda"])

    with django_assert_max_num_queries(8):
        first = alice_client.get(url).content.decode()
    assert len(NOTE_LINK.findall(first)) == 100
    assert "Notes 1–100 of 150" in first
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="prev"' not in first

    second = alice_client.get(url, {"page": 2}).content.decode()
    assert len(NOTE_LINK.findall(second)) == 50
    assert "Notes 101–150 of 150" in second
    assert 'href="/decks/lambda/notes/topic-147/"' in second, "the last note is on the last page"
    assert 'href="?page=1" rel="prev"' in second
    assert 'rel="next"' not in second

    # A page that is not a number starts at the first page; one past the end shows the last.
    assert "Notes 1–100 of 150" in alice_client.get(url, {"page": "x"}).content.decode()
    assert "Notes 101–150 of 150" in alice_client.get(url, {"page": 9}).content.decode()


def test_a_deck_of_one_page_has_no_page_links(alice_client, deck):
    html = alice_client.get(reverse("deck", args=["lambda"])).content.decode()
    assert 'aria-label="Pages of notes"' not in html
