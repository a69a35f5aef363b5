"""The search box's language, Anki's basics: free text (words and "quoted phrases"), deck:,
note:, tag:, domain:, is:new|due|learning|review|suspended|buried|leech, prop:due<=3 (also ivl,
lapses, reps), and "-" before any term to negate it. Terms are all required (AND).

Pure: never imports Django; search.py turns the parsed terms into a query.
"""

import re
from dataclasses import dataclass, field

FIELDS = ("deck", "note", "tag", "domain", "is", "prop")
STATES = ("new", "due", "learning", "review", "suspended", "buried", "leech")
PROPERTIES = ("due", "ivl", "lapses", "reps")
OPERATORS = ("<=", ">=", "!=", "<", ">", "=")

_TOKEN = re.compile(r'-?(?:[a-z]+:)?"[^"]*"?|\S+', re.IGNORECASE)
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    field: str  # "text" or one of FIELDS
    value: str  # for prop: the property name
    negated: bool = False
    operator: str = ""  # prop only
    number: float = 0.0  # prop only


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def text(self) -> list[Term]:
        return [term for term in self.terms if term.field == "text"]


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        value = value[1:]
    if value.endswith('"'):
        value = value[:-1]
    return value.strip()


def parse(text: str) -> Query:
    """The terms of a search; what cannot be read is reported in `errors`, never guessed."""
    query = Query()
    for token in _TOKEN.findall(text or ""):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        name, colon, rest = body.partition(":")
        if colon and name.lower() in FIELDS and not name.startswith('"'):
            name, value = name.lower(), _unquote(rest)
            if not value:
                query.errors.append(f"“{token}” needs something after the colon.")
            elif name == "is":
                if value.lower() not in STATES:
                    query.errors.append(f"“{token}”: is: takes one of {', '.join(STATES)}.")
                else:
                    query.terms.append(Term("is", value.lower(), negated))
            elif name == "prop":
                match = _PROP.match(value)
                if not match or match.group(1).lower() not in PROPERTIES:
                    query.errors.append(
                        f"“{token}”: write prop:due<=3 (or ivl, lapses, reps with <, <=, =, "
                        "!=, >=, >)."
                    )
                else:
                    prop, operator, number = match.groups()
                    query.terms.append(Term("prop", prop.lower(), negated, operator, float(number)))
            else:
                query.terms.append(Term(name, value, negated))
        elif colon and re.fullmatch(r"[a-z]+", name, re.IGNORECASE) and rest:
            query.errors.append(
                f"“{token}”: there is no {name}: search; use deck:, note:, tag:, domain:, is: "
                "or prop:."
            )
        else:
            words = _unquote(body)
            if words and re.search(r"\w", words):
                query.terms.append(Term("text", words, negated))
    return query
