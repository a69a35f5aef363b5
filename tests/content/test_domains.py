"""Exam domains: the deck's blueprint in _deck.toml and each note's domain (content/domains.py)."""

import pytest

from cards.content.domains import Domain, DomainError, domain_of, parse_domains
from cards.content.files import deck_info
from cards.content.source import SourceError
from cards.content.sync import NoteFile, import_deck
from cards.models import Deck, Note

BLUEPRINT = [Domain("Development", 60, ("dev-*.md",)), Domain("Security", 40)]


def test_front_matter_names_the_domain_whatever_its_case():
    assert domain_of({"domain": "security"}, "a.md", BLUEPRINT) == ("Security", "")


def test_a_path_pattern_gives_the_domain_of_notes_without_one():
    assert domain_of({}, "dev-lambda.md", BLUEPRINT) == ("Development", "")
    assert domain_of({}, "other.md", BLUEPRINT) == ("", "")


def test_an_unknown_domain_is_reported_with_the_deck_s_domains():
    domain, warning = domain_of({"domain": "Networking"}, "a.md", BLUEPRINT)
    assert domain == "" and "Networking" in warning and "Development; Security" in warning


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ([{"weight": 10}], "has no name"),
        ([{"name": "A", "weight": "lots"}], "must be a number"),
        ([{"name": "A", "weight": 0}], "above 0"),
        ([{"name": "A"}, {"name": "a"}], "same name"),
    ],
)
def test_a_broken_blueprint_is_refused_saying_why(tables, message):
    with pytest.raises(DomainError, match=message):
        parse_domains(tables)


def test_the_deck_file_s_domains_reach_the_deck_and_its_notes(db, tmp_path):
    (tmp_path / "_deck.toml").write_text(
        '[[domain]]\nname = "Security"\nweight = 26\n[[domain]]\nname = "Deployment"\nweight = 24\n'
    )
    info = deck_info(tmp_path)
    note = b"---\ndomain: Security\n---\n# IAM\n\n- Role: an identity with temporary credentials\n"
    report = import_deck("d", [NoteFile("iam.md", note), NoteFile("x.md", b"# X\n")], **info)
    assert [d["name"] for d in Deck.objects.get().domains] == ["Security", "Deployment"]
    assert dict(Note.objects.values_list("path", "domain")) == {"iam.md": "Security", "x.md": ""}
    assert report.warnings == []
    (tmp_path / "_deck.toml").write_text("[[domain]]\nweight = 26\n")
    with pytest.raises(SourceError, match="_deck.toml: domain 1 has no name"):
        deck_info(tmp_path)


def test_every_note_of_the_shipped_deck_has_one_of_its_four_domains(db):
    from pathlib import Path

    from cards.content.files import collect_deck_files

    folder = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"
    notes, assets, _skipped = collect_deck_files(folder)
    import_deck("aws-lambda", notes, assets=assets, **deck_info(folder))
    weights = {d["name"]: d["weight"] for d in Deck.objects.get().domains}
    assert weights == {
        "Development with AWS Services": 32,
        "Security": 26,
        "Deployment": 24,
        "Troubleshooting and Optimization": 18,
    }
    missing = Note.objects.filter(domain="").exclude(path__startswith="00-")
    assert list(missing.values_list("path", flat=True)) == []
