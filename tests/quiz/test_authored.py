from cards.content.tree import parse_note
from cards.quiz.authored import parse_questions
from cards.quiz.scoring import check_answer

NOTE = """# Lambda integrations
## Event sources

> [!question] Which TWO event sources does Lambda poll?
> - [x] Amazon SQS
> - [ ] Amazon S3
> - [x] Amazon Kinesis Data Streams
> - [ ] Amazon SNS
> Explanation: Lambda's event source mappings poll queues and streams; S3 and SNS push events.

## Invocation

> [!question] Which invocation type does S3 use?
> - [ ] Synchronous
> - [x] Asynchronous
> - [ ] Event source mapping

> [!question]- Lambda@Edge functions are created in us-east-1.
> - [x] True
> - [ ] False
> Why: CloudFront replicates them from N. Virginia.
"""


def parse(text, *, first_line=1):
    return parse_questions(
        parse_note(text, first_line=first_line), note_title="Lambda integrations"
    )


def test_one_ticked_option_is_a_single_answer_question():
    question = parse(NOTE)[0][1]
    assert question.kind == "single"
    assert question.stem == "Which invocation type does S3 use?"
    assert [o.text for o in question.options if o.correct] == ["Asynchronous"]
    assert question.heading_path == ("Lambda integrations", "Invocation")


def test_several_ticked_options_make_a_select_several_question():
    question = parse(NOTE)[0][0]
    draft = question.to_draft(source_url="/notes/x#L4")
    assert draft.kind == "multiple"
    assert [o.correct for o in draft.options] == [True, False, True, False]
    assert draft.stem.count("TWO") == 1, "a stem that says TWO gets no second (Select TWO.)"
    assert draft.explanation.startswith("Lambda's event source mappings poll")
    assert draft.topic == "Lambda integrations › Event sources"
    assert draft.source_url == "/notes/x#L4" and draft.key == question.key
    assert check_answer(draft, ["0", "2"])


def test_multiple_answer_stem_without_a_count_is_told_how_many():
    text = "> [!question] Pick the push sources\n> - [x] S3\n> - [x] SNS\n> - [ ] SQS\n"
    draft = parse(text)[0][0].to_draft()
    assert draft.stem == "Pick the push sources (Select TWO.)"


def test_true_and_false_options_make_a_true_false_question():
    question = parse(NOTE)[0][2]
    assert question.kind == "true_false"
    assert question.explanation == "CloudFront replicates them from N. Virginia."
    assert check_answer(question.to_draft(), ["0"])


def test_lines_count_from_the_first_line_of_the_body():
    questions, _ = parse(NOTE, first_line=5)
    assert [q.line for q in questions] == [8, 17, 22]


def test_unusable_blocks_are_skipped_with_a_warning_by_line():
    text = (
        "> [!question] No ticks here\n> - [ ] a\n> - [ ] b\n\n"
        "> [!question] Only one option\n> - [x] a\n\n"
        "> [!question]\n> - [x] a\n> - [ ] b\n"
    )
    questions, warnings = parse(text)
    assert questions == []
    assert [w.line for w in warnings] == [1, 5, 8]
    assert "no ticked option" in warnings[0].message
    assert "at least 2 options" in warnings[1].message
    assert "no stem" in warnings[2].message


def test_a_question_with_a_text_over_its_limit_is_skipped_with_a_warning():
    long = "word " * 2001
    text = (
        f"> [!question] {long}?\n> - [x] a\n> - [ ] b\n\n"
        f"> [!question] Fine?\n> - [x] {'b' * 2001}\n> - [ ] c\n\n"
        f"> [!question] Why?\n> - [x] a\n> - [ ] b\n> Why: {long}\n\n"
        f"> [!question] Many?\n" + "".join(f"> - [x] {i}\n" for i in range(21))
    )
    questions, warnings = parse(text)
    assert questions == []
    messages = [w.message for w in warnings]
    assert "question stem is 10,006 characters long; the limit is 10,000" in messages[0]
    assert "option 1 is 2,001 characters long; the limit is 2,000" in messages[1]
    assert "explanation is 10,004 characters long" in messages[2]
    assert "question has 21 options; the limit is 20" in messages[3]
    assert all(m.endswith("question skipped") for m in messages)


def test_key_comes_from_the_stem_so_reordered_or_edited_options_keep_it():
    first = parse("> [!question] What is the max timeout?\n> - [x] 15 min\n> - [ ] 5 min\n")
    edited = parse(
        "# Other\n> [!question] What is the  MAX timeout\n> - [ ] 1 min\n> - [x] 15 min\n"
    )
    assert first[0][0].key == edited[0][0].key
    other = parse("> [!question] What is the default timeout?\n> - [x] 3 s\n> - [ ] 5 s\n")
    assert other[0][0].key != first[0][0].key


def test_question_callouts_in_code_blocks_are_not_questions():
    text = "```\n> [!question] Example?\n> - [x] a\n> - [ ] b\n```\n"
    assert parse(text) == ([], [])


def test_wrapped_stem_and_option_lines_are_joined():
    text = (
        "> [!question] Which setting\n> decides CPU?\n> - [x] Memory\n>   size\n> - [ ] Timeout\n"
    )
    question = parse(text)[0][0]
    assert question.stem == "Which setting decides CPU?"
    assert question.options[0].text == "Memory size"
