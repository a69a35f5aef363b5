"""Exam domains: which part of an exam blueprint a note belongs to.

A deck's `_deck.toml` names its domains with their weights, as an exam guide does:

    [[domain]]
    name = "Development with AWS Services"
    weight = 32
    notes = ["*-event-sources.md"]   # optional: notes of this domain, by path pattern

A note says its own domain in front matter (`domain: Security`); otherwise the first domain
whose `notes` patterns match its path; otherwise it has none (and its questions count under
"Other"). Quizzes draw by these weights and score by domain; readiness is shown by domain.

Pure: never imports Django.
"""

from dataclasses import dataclass
from fnmatch import fnmatch


@dataclass(frozen=True)
class Domain:
    name: str
    weight: float
    notes: tuple[str, ...] = ()


class DomainError(ValueError):
    """A `[[domain]]` table that cannot be used; the message names what is wrong."""


def parse_domains(data: list) -> list[Domain]:
    """The `[[domain]]` tables of a `_deck.toml`, checked."""
    domains = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise DomainError(f"domain {number} has no name")
        try:
            weight = float(item.get("weight", 1))
        except (TypeError, ValueError):
            raise DomainError(f"domain “{item['name']}”: weight must be a number") from None
        if not 0 < weight <= 100:
            raise DomainError(f"domain “{item['name']}”: weight must be above 0 and at most 100")
        notes = item.get("notes", [])
        if isinstance(notes, str):
            notes = [notes]
        if not all(isinstance(pattern, str) for pattern in notes):
            raise DomainError(f"domain “{item['name']}”: notes must be path patterns")
        domains.append(Domain(str(item["name"]).strip(), weight, tuple(notes)))
    names = [domain.name.casefold() for domain in domains]
    if len(set(names)) != len(names):
        raise DomainError("two domains have the same name")
    return domains


def as_data(domains: list[Domain]) -> list[dict]:
    return [{"name": d.name, "weight": d.weight, "notes": list(d.notes)} for d in domains]


def from_data(data: list[dict]) -> list[Domain]:
    return [Domain(d["name"], float(d["weight"]), tuple(d.get("notes", ()))) for d in data or ()]


def domain_of(meta: dict, path: str, domains: list[Domain]) -> tuple[str, str]:
    """(the note's domain or "", a warning or ""): front matter first, then path patterns."""
    written = meta.get("domain") if isinstance(meta, dict) else None
    if written is not None and str(written).strip():
        wanted = str(written).strip()
        if not domains:
            return wanted, ""  # a deck without a blueprint takes the note's word for it
        for domain in domains:
            if domain.name.casefold() == wanted.casefold():
                return domain.name, ""
        known = "; ".join(domain.name for domain in domains)
        return "", f"domain “{wanted}” is not one of this deck's domains ({known})"
    for domain in domains:
        if any(fnmatch(path, pattern) for pattern in domain.notes):
            return domain.name, ""
    return "", ""
