"""The search language (pure): what each kind of term reads as, and what cannot be read."""

from cards.study.query import Term, parse


def test_words_phrases_and_negation():
    assert parse('cold  "start time" -warm').terms == [
        Term("text", "cold"),
        Term("text", "start time"),
        Term("text", "warm", negated=True),
    ]


def test_fields_states_and_properties():
    query = parse('deck:aws-lambda note:"Lambda pricing" tag:limits -is:suspended prop:due<=3')
    assert query.errors == []
    assert query.terms == [
        Term("deck", "aws-lambda"),
        Term("note", "Lambda pricing"),
        Term("tag", "limits"),
        Term("is", "suspended", negated=True),
        Term("prop", "due", operator="<=", number=3.0),
    ]


def test_what_cannot_be_read_is_reported_not_guessed():
    query = parse("is:sleepy prop:ease>2 colour:red deck:")
    assert query.terms == []
    assert len(query.errors) == 4
    assert (
        "is: takes one of new, due, learning, review, suspended, buried, leech" in query.errors[0]
    )
    assert "there is no colour: search" in query.errors[2]


def test_a_word_ending_in_a_colon_is_just_a_word():
    assert parse("timeout:").terms == [Term("text", "timeout:")]
