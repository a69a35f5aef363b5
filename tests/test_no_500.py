"""No input gives a 500: every URL is walked with ids out of range, over-long strings and values
of the wrong type, in the address, the query string and the posted form, as a visitor, a
student and an instructor."""

import importlib
import inspect
import pkgutil
from itertools import chain

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cards import views
from cards.content import authoring
from cards.content.sync import NoteFile, import_deck
from cards.models import Asset, Card, CustomSession, Deck, Note, ParameterFit, ProblemReport
from cards.quiz import exams

TOO_BIG = "9223372036854775808"  # one past the largest 64-bit id
TOO_LONG = "x" * 5_000
NOTE = b"# N\n\n- Maximum timeout: 900 seconds\n- Q one? :: A\n- Q two? :: B\n\n![[pic.png]]\n"


def url_patterns(patterns=None, prefix=""):
    """(name, route) of every named URL of the site."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, entry.pattern.converters


def field_names() -> set[str]:
    """Every field of every form the views validate, and the query parameters they read."""
    names = {"card", "show", "typed", "deck", "seed", "a", "b", "action", "choice", "preview"}
    names |= {"q", "sort", "page", "here"}
    for found in pkgutil.iter_modules(views.__path__):  # every view module, new ones too
        module = importlib.import_module(f"{views.__name__}.{found.name}")
        for _, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm):
                names.update(form.base_fields)
    return names


def junk(value) -> dict:
    return {name: value for name in field_names()}


JUNK = [
    junk(TOO_BIG),
    {**junk(TOO_LONG), "action": "grade", "rating": "3", "version": "0"},
    {**junk(["1e30", "\x00", "-1"]), "choice": ["0", TOO_BIG, "-1", "x"], "action": "grade"},
]


@pytest.fixture
def site(db, charlie):
    import_deck(
        "d",
        [NoteFile("n.md", NOTE), NoteFile("draft.md", NOTE.replace(b"# N", b"# Draft"))],
        assets=[NoteFile("pic.png", b"\x89PNG\r\n\x1a\n")],
    )
    Note.objects.filter(path="draft.md").update(published=False)
    deck = Deck.objects.get(slug="d")
    note = Note.objects.get(path="n.md")
    attempt = exams.start(charlie, deck, mode="exam", count=2, minutes=5)
    done = exams.start(charlie, deck, mode="exam", count=2, minutes=5)
    exams.submit(done)
    pending = authoring.stage_upload(deck, [("x.md", b"# X\n")], user=charlie)
    report = ProblemReport.objects.create(user=charlie, deck=deck, reason="wrong", stem="Q?")
    card = Card.objects.filter(note=note).first()
    session = CustomSession.objects.create(user=charlie, title="All", cards=[card.pk])
    fit = ParameterFit.objects.create(user=charlie)
    return {
        "deck_slug": ["d", "draft", "no-such-deck", "x" * 300],
        "note_slug": [note.slug, "draft", "x" * 300],
        "card_id": [card.pk, TOO_BIG, 0],
        "attempt_id": [attempt.pk, done.pk, TOO_BIG],
        "number": [1, 3, TOO_BIG],
        "rev": [note.revisions.first().pk, TOO_BIG],
        "pending_id": [pending.pk, TOO_BIG],
        "report_id": [report.pk, TOO_BIG],
        "session_id": [session.pk, TOO_BIG],
        "fit_id": [fit.pk, TOO_BIG],
        "path": [Asset.objects.get().path, "../../etc/passwd", "%00", TOO_LONG],
    }


def addresses(site):
    """Every URL with each of its parameters in turn valid, out of range and over-long."""
    for name, converters in url_patterns():
        params = list(converters)
        if not params:
            yield reverse(name)
            continue
        valid = {param: site[param][0] for param in params}
        yield reverse(name, kwargs=valid)
        for param in params:
            for bad in site[param][1:]:
                yield reverse(name, kwargs={**valid, param: bad})


QUERIES = [
    "",
    f"?card={TOO_BIG}&show=1&typed={TOO_LONG}",
    f"?deck={TOO_LONG}&seed={TOO_LONG}&show=all",
    f"?a={TOO_BIG}&b=x&requests={TOO_BIG}&memory_mb=1e30&duration_ms=-1",
]


@pytest.mark.parametrize("who", ["visitor", "student", "instructor"])
def test_no_url_answers_500_whatever_it_is_sent(site, who, alice, charlie):
    client = Client(raise_request_exception=False)
    if who != "visitor":
        client.force_login(alice if who == "student" else charlie)
    failures = []
    for url in dict.fromkeys(addresses(site)):
        for query in QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(f"GET {url}{query[:60]}")
        for data in JUNK:
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                response = client.post(url, data, **headers)
                if response.status_code >= 500:
                    failures.append(f"POST {url} {next(iter(data.values()))!r:.40} {headers}")
    assert failures == [], "\n".join(failures)


def test_the_walk_reaches_every_view_module():
    names = {name for name, _ in url_patterns()}
    assert {"study", "unsuspend", "quiz_retake", "import_my_data", "deck_upload_confirm"} <= names
    assert len(names) > 40, "the walk finds the whole site"
    assert set(chain.from_iterable(c for _, c in url_patterns())) <= {
        "deck_slug", "note_slug", "card_id", "attempt_id", "number", "rev", "pending_id", "path",
        "report_id", "session_id", "fit_id",
    }  # fmt: skip
