import random
from dataclasses import replace

from cards.calculators.units import equivalent, parse_quantity
from cards.quiz.drafts import CardInfo, Option, QuestionDraft
from cards.quiz.generate import generate_questions, question_for_card, topic_for
from cards.quiz.scoring import check_answer, score

LIMITS = ("Lambda limits", "Lambda limits", "Memory and timeout")
TERMS = ("What is AWS Lambda", "What is AWS Lambda", "Key terms")


def card(id, kind, front, back, answer="", path=LIMITS, **extra):
    if kind == "table" and " › " in front:  # the extractor's identity of a cell: "row | column"
        row, column = front.split(" › ")[-2:]
        extra.setdefault("identity", f"{row.casefold()} | {column.casefold()}")
    return CardInfo(
        id=id,
        kind=kind,
        front=front,
        back=back,
        answer=answer,
        heading_path=path[1:],
        note_title=path[0],
        source_url=f"/notes/{id}#L1",
        **extra,
    )


def numeric(id, value, front="Timeout: at most [...].", path=LIMITS):
    return card(id, "numeric", front, front.replace("[...]", f"=={value}=="), value, path)


def definition(id, term, text, path=TERMS):
    return card(id, "definition", f"{path[2]} › **{term}**", text, path=path)


def deck_of_definitions(count=5, path=TERMS):
    terms = [
        "Cold start",
        "Provisioned concurrency",
        "Event source mapping",
        "Execution role",
        "Layer version",
        "Function URL",
        "Reserved concurrency",
    ]
    return [
        definition(100 + n, term, f"meaning number {n}, told in several words")
        for n, term in enumerate(terms[:count])
    ]


def choices(card, deck, seeds=range(30)):
    """The multiple-choice questions about `card` over many seeds (some seeds pick other forms)."""
    found = [question_for_card(card, deck, random.Random(seed)) for seed in seeds]
    chosen = [question for question in found if question and question.kind == "single"]
    assert chosen, "the card should make a multiple-choice question for some seed"
    return chosen


def options(question):
    return [option.text for option in question.options]


def correct_indexes(question):
    return [str(n) for n, option in enumerate(question.options) if option.correct]


def wrong_index(question):
    return next(str(n) for n, option in enumerate(question.options) if not option.correct)


# Distractors


def test_number_distractors_keep_the_answers_unit():
    deck = [numeric(1, "900 seconds"), numeric(2, "3 seconds", "Default timeout: [...].")]
    deck += [numeric(3, "10,240 MB", "Memory: at most [...].")]
    for question in choices(deck[0], deck):
        for text in options(question):
            assert parse_quantity(text).unit == "s", f"{text!r} is not in seconds like the answer"


def test_number_distractors_are_never_equivalent_to_the_answer():
    deck = [
        numeric(1, "15 minutes"),
        numeric(2, "900 seconds", "Timeout in seconds: [...]."),
        numeric(3, "0.25 hours", "Timeout in hours: [...]."),
        numeric(4, "15 minutes", "Same again: [...]."),
    ]
    for question in choices(deck[0], deck):
        wrong = [o.text for o in question.options if not o.correct]
        assert len(wrong) == 3
        assert not any(equivalent(text, "15 minutes") for text in wrong), wrong


def test_options_are_never_duplicated():
    deck = [numeric(n, "15 minutes") for n in range(1, 6)]
    deck += [numeric(9, "5 minutes"), numeric(10, "5 min"), numeric(11, "300 seconds")]
    for question in choices(deck[0], deck):
        texts = options(question)
        quantities = [parse_quantity(text) for text in texts]
        pairs = [(a, b) for i, a in enumerate(quantities) for b in quantities[i + 1 :]]
        assert not any(equivalent(a, b) for a, b in pairs), texts


def test_numbers_get_plausible_neighbours_when_the_deck_has_few():
    deck = [numeric(1, "1 million requests", "Free tier: [...] per month.")]
    for question in choices(deck[0], deck):
        for text in options(question):
            assert text.endswith("million requests"), f"{text!r} is not written like the answer"


def test_term_distractors_are_sibling_terms_under_the_same_heading():
    deck = deck_of_definitions(5)
    deck.append(definition(200, "Burst concurrency", "a setting", ("Pricing", "Pricing", "X")))
    siblings = {
        "Cold start",
        "Provisioned concurrency",
        "Event source mapping",
        "Execution role",
        "Layer version",
    }
    for question in choices(deck[0], deck):
        assert set(options(question)) <= siblings
        assert correct_indexes(question) == [str(options(question).index("Cold start"))]


def test_a_term_question_shows_the_definition_as_a_sentence():
    deck = deck_of_definitions(5)
    stems = {q.stem for q in choices(deck[0], deck) if "described above" in q.stem}
    assert stems, "some seed asks which term a definition describes"
    for stem in stems:
        assert stem.startswith("Meaning number 0, told in several words.\n\n"), stem


def test_table_cell_distractors_come_from_the_same_column():
    path = ("Lambda events", "Lambda events", "Failure handling")
    rows = ["SQS", "SNS", "S3", "Kinesis", "EventBridge"]

    def cell(n, row, column, value):
        front = f"Lambda events {row}: {column}?"
        identity = f"{row.casefold()} | {column.casefold()}"
        return card(n, "table", front, value, path=path, identity=identity)

    deck = [cell(n, row, "On failure", f"{row} dead-letter queue") for n, row in enumerate(rows)]
    deck += [cell(10 + n, row, "Retries", f"{n} retry policy") for n, row in enumerate(rows)]
    question = choices(deck[0], deck)[0]
    assert all(text.endswith("dead-letter queue") for text in options(question)), options(question)
    assert question.stem == deck[0].front, "the card's front, which names its subject, asks it"


# Other forms


def test_list_cards_make_select_two_or_three_questions():
    path = ("Lambda events", "Lambda events", "Poll-based sources")
    sources = card(
        1,
        "list",
        "Poll-based sources: name the 4 items",
        "- SQS\n- Kinesis\n- DynamoDB Streams\n- Amazon MQ",
        path=path,
    )
    other = card(
        2,
        "list",
        "Push sources: name the 4 items",
        "- S3\n- SNS\n- EventBridge\n- API Gateway",
        path=path,
    )
    for seed in range(10):
        question = question_for_card(sources, [sources, other], random.Random(seed))
        assert question.kind == "multiple"
        picked = len(correct_indexes(question))
        word = {2: "TWO", 3: "THREE"}[picked]
        assert f"(Select {word}.)" in question.stem
        right = {o.text for o in question.options if o.correct}
        wrong = {o.text for o in question.options if not o.correct}
        assert right <= {"SQS", "Kinesis", "DynamoDB Streams", "Amazon MQ"}
        assert wrong <= {"S3", "SNS", "EventBridge", "API Gateway"} and len(wrong) == 3


def test_generated_questions_use_the_exam_s_forms_only():
    """Multiple choice and select-several, as the AWS exams ask; no true/false statements."""
    questions = generate_questions(big_deck(300), count=60, seed=2)
    assert {question.kind for question in questions} <= {"single", "multiple", "numeric"}


def test_labels_that_name_nothing_make_no_term_question():
    labels = ["Notice", "Price", "Suits", "Metric", "Whichever comes first"]
    deck = [definition(n, label, f"what {label} says, in several words") for n, label in
            enumerate(labels)]  # fmt: skip
    assert all(question_for_card(c, deck, random.Random(1)) is None for c in deck)


def test_numeric_entry_understands_units():
    question = QuestionDraft(kind="numeric", stem="Max timeout?", answer="900 seconds")
    assert check_answer(question, "15 min")
    assert check_answer(question, ["900 s"])
    assert check_answer(question, "900")
    assert not check_answer(question, "15"), "a bare 15 is not 900 seconds"
    assert not check_answer(question, "900 MB")


def test_poor_distractors_fall_back_to_another_form():
    lonely = numeric(1, "0 seconds", "Minimum wait: [...].")
    question = question_for_card(lonely, [lonely], random.Random(0))
    assert question.kind == "numeric", "no good number distractors: ask for the value instead"
    assert question.answer == "0 seconds"
    cloze = card(5, "cloze", "Runs on [...].", "Runs on ==Firecracker==.", "Firecracker")
    assert question_for_card(cloze, [cloze], random.Random(0)) is None, "no junk options"


# Whole exams


def big_deck(size=2000):
    deck = []
    for n in range(size):
        note = f"Note {n // 100}"
        path = (note, note, f"Heading {n // 10}")
        form = n % 5
        if form == 0:
            deck.append(numeric(n, f"{(n % 17) + 1} seconds", f"Fact {n}: [...].", path))
        elif form == 1:
            deck.append(definition(n, f"Term {n}", f"the meaning of term {n} in words", path))
        elif form == 2:
            front = f"Heading {n // 10} › Row {n} › Column"
            deck.append(card(n, "table", front, f"cell value {n}", path=path))
        elif form == 3:
            deck.append(card(n, "cloze", f"Thing {n} is [...].", f"==word{n}==", f"word{n}", path))
        else:
            items = "\n".join(f"- item {n}-{i}" for i in range(4))
            deck.append(card(n, "list", f"List {n}: name the 4 items", items, path=path))
    return deck


def test_same_cards_and_seed_give_exactly_the_same_exam():
    deck = big_deck(300)
    first = generate_questions(deck, count=40, seed="exam-1")
    again = generate_questions(list(reversed(deck)), count=40, seed="exam-1")
    assert first == again, "input order and repeated calls must not change the exam"
    other = generate_questions(deck, count=40, seed="exam-2")
    assert first != other, "another seed should give another exam"


def test_cards_changed_under_the_same_ids_make_questions_of_the_change():
    deck = big_deck(300)
    first = generate_questions(deck, count=40, seed="exam-1")
    edited = [replace(c, front=c.front.replace("Fact", "Figure")) for c in deck]
    again = generate_questions(edited, count=40, seed="exam-1")
    assert [q.stem.replace("Figure", "Fact") for q in again] == [q.stem for q in first]
    assert any("Figure" in q.stem for q in again), "the index of the unedited deck was used"


def test_questions_have_unique_keys_and_come_from_different_cards():
    questions = generate_questions(big_deck(300), count=60, seed=7)
    assert len(questions) == 60
    assert len({q.key for q in questions}) == 60
    card_ids = [q.card_id for q in questions]
    assert len(set(card_ids)) == 60, "no card should be asked twice while others remain"
    assert all(q.source_url == f"/notes/{q.card_id}#L1" for q in questions)


def test_questions_spread_over_topics():
    questions = generate_questions(big_deck(300), count=30, seed=3)
    topics = {q.topic for q in questions}
    assert len(topics) == 30, "30 topics and 30 questions: one from each topic"


def test_topics_filter_keeps_only_chosen_topics():
    chosen = {"Note 1 › Heading 12", "Note 2 › Heading 25"}
    questions = generate_questions(big_deck(300), count=10, seed=1, topics=chosen)
    assert questions and {q.topic for q in questions} <= chosen


def test_topic_drops_the_notes_own_title_heading():
    assert (
        topic_for("Lambda limits", ("Lambda limits", "Memory", "Max")) == "Lambda limits › Memory"
    )
    assert topic_for("Lambda limits", ("Memory",)) == "Lambda limits › Memory"
    assert topic_for("Lambda limits", ()) == "Lambda limits"


def test_a_small_deck_gives_a_shorter_exam_rather_than_asking_a_fact_twice():
    deck = [numeric(1, "900 seconds"), *deck_of_definitions(4)]
    questions = generate_questions(deck, count=50, seed=1)
    assert 1 <= len(questions) <= len(deck) < 50
    assert len({q.fact for q in questions}) == len(questions)
    assert len({q.card_id for q in questions}) == len(questions)


def test_authored_questions_are_in_the_exam_with_their_topic():
    authored = [
        QuestionDraft(
            kind="single",
            stem=f"Hand-written {n}?",
            options=(Option("yes", True), Option("no", False)),
            topic="What is AWS Lambda › Key terms",
            key=f"authored-{n}",
        )
        for n in range(2)
    ]
    questions = generate_questions(deck_of_definitions(5), count=3, seed=1, authored=authored)
    assert {"authored-0", "authored-1"} <= {q.key for q in questions}
    narrowed = generate_questions([], count=5, seed=1, topics={"Other"}, authored=authored)
    assert narrowed == [], "authored questions outside the chosen topics stay out"


def test_a_65_question_exam_comes_from_a_2000_card_deck():
    # Its speed (at most 50 ms) is measured by `make bench` (exam_generation), not here.
    questions = generate_questions(big_deck(2000), count=65, seed="full")
    assert len(questions) == 65
    assert len({question.key for question in questions}) == 65, "no question twice"


def test_generated_questions_are_answerable_with_their_correct_options():
    questions = generate_questions(big_deck(200), count=40, seed=5)
    answers = {q.key: (q.answer if q.kind == "numeric" else correct_indexes(q)) for q in questions}
    assert score(questions, answers).percent == 100
    wrong = {q.key: wrong_index(q) for q in questions if q.kind != "numeric"}
    assert score(questions, wrong).correct == 0
