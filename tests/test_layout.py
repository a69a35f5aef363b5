"""The layout keeps its promise: the pure modules, where most of the thinking lives, never
import Django, so they stay fast to test and easy to read."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PURE = [
    "cards.content.source",
    "cards.content.wikilinks",
    "cards.content.tree",
    "cards.content.text",
    "cards.content.markdown",
    "cards.content.markdown.calcblocks",
    "cards.content.markdown.dialect",
    "cards.content.markdown.prepare",
    "cards.content.markdown.sanitize",
    "cards.content.extract",
    "cards.content.factcheck",
    "cards.content.files",
    "cards.content.pipeline",
    "cards.content.subjects",
    "cards.content.lint",
    "cards.content.merging",
    "cards.content.runtimes",
    "cards.study.scheduling",
    "cards.quiz.drafts",
    "cards.quiz.generate",
    "cards.quiz.scoring",
    "cards.quiz.authored",
    "cards.quiz.calculator_questions",
    "cards.calculators.facts",
    "cards.calculators.units",
    "cards.calculators.inputs",
    "cards.calculators.pricing",
    "cards.calculators.limits",
]


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_never_imports_django(module):
    code = f"import sys, {module}; sys.exit('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, f"{module} must stay pure (no Django): {result.stderr[-300:]}"
