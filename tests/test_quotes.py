"""Every quotation in data/ is verbatim from the article (``python -m wra check --article``).

The article is not in the repository. Without one (``WRA_ARTICLE`` unset) the
check of the real record is skipped, saying how to supply it, except under
``CI=true``, where a missing article fails. The checker's own logic is tested
on the fixture and a small made-up article that ship with the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_check import run_cli
from wra.record import paths, quotes
from wra.record.check import validate

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
FIXTURE_ARTICLE = FIXTURES / "article.txt"
SHARED_CHECKER = paths.SHARED / "tools" / "check_quotes.py"


def the_article() -> Path:
    """The real article, or skip (fail under CI=true) saying how to supply it."""
    article = quotes.article_path()
    if article is not None and article.is_file():
        return article
    why = f"no article at {article}" if article is not None else "no article given"
    message = f"{why}: {quotes.HOW_TO_SUPPLY}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs the article for the quotation check; {message}")
    pytest.skip(message)


def test_every_quotation_in_the_record_is_verbatim_from_the_article():
    result = validate(paths.ROOT, the_article())
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.quotations and result.quotations > 20


def test_the_command_line_checks_quotations_named_by_the_variable():
    article = the_article()
    proc = run_cli(env={**os.environ, quotes.ENV: str(article)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "quotations verbatim in the article" in proc.stdout


def test_the_shared_reference_checker_agrees():
    """Cross-check against the reference checker in ../shared, where it exists."""
    article = the_article()
    if not SHARED_CHECKER.exists():
        message = f"no reference checker at {SHARED_CHECKER} (a cross-check only)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true runs every check; {message}")
        pytest.skip(message)
    proc = subprocess.run(
        [sys.executable, str(SHARED_CHECKER)], cwd=paths.ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ours = validate(paths.ROOT, article).quotations
    assert proc.stdout.strip().splitlines()[-1] == f"{ours} quotations checked, 0 not verbatim"


def test_fixture_quotations_are_found():
    result = validate(VALID, FIXTURE_ARTICLE)
    assert result.problems == []
    assert result.quotations == 7
    assert result.summary().endswith(", 7 quotations verbatim in the article")


def test_a_changed_quotation_is_refused_with_its_line(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(VALID, root)
    path = root / "data" / "actions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("古浪一战", "古浪之战"), encoding="utf-8")
    proc = run_cli(str(root), "--article", str(FIXTURE_ARTICLE))
    assert proc.returncode == 1
    assert proc.stdout.startswith("data/actions.csv:4: quote_zh: not verbatim in the article article.txt: 古浪之战")


def test_a_missing_article_is_a_problem_not_a_traceback(tmp_path):
    proc = run_cli(str(VALID), "--article", str(tmp_path / "nowhere.txt"))
    assert proc.returncode == 1
    assert "nowhere.txt:0: -: cannot read the article" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_without_an_article_no_quotation_is_checked(monkeypatch):
    monkeypatch.delenv(quotes.ENV, raising=False)
    assert quotes.article_path() is None
    assert validate(VALID).quotations is None


@pytest.mark.parametrize(
    "quote, ok",
    [
        ("古浪一战,九军", True),  # a half-width comma matches the full-width one
        ("以一部 控制\n靖远、中卫", True),  # whitespace is ignored
        ("“古浪一战”", True),  # surrounding quotation marks are ignored
        ("军委令……古浪一战", True),  # pieces in order
        ("古浪一战……军委令", False),  # pieces out of order
        ("古浪二战", False),
    ],
)
def test_pieces_in_order(quote, ok):
    article = quotes.normalise(FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    assert quotes.found_in_order(quotes.pieces(quote), article) is ok
