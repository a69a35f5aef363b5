"""`make quality`: import the labelled corpus and content/ into a scratch database, judge their
cards by QUALITY.md, print one JSON object of figures, then every failing card and its rules."""

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "studyapp.test_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='quality-')}/q.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    from quality.evaluate import RULE_NAMES, measure

    call_command("migrate", verbosity=0)
    results = measure()
    print(json.dumps({slug: result["figures"] for slug, result in results.items()}, indent=2))
    for slug, result in results.items():
        for question in result["failing_questions"]:
            print(f"{slug}/{question['where']} [question] {question['stem']!r}: "
                  f"{', '.join(question['rules'])}")  # fmt: skip
        for card in result["failing"]:
            rules = ", ".join(f"{rule} ({RULE_NAMES[rule]})" for rule in card["rules"])
            print(
                f"{slug}/{card['note']}:{card['line']} [{card['kind']}] {card['front']!r} -> "
                f"{card['back']!r}: {rules}"
            )


if __name__ == "__main__":
    main()
