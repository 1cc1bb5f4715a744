"""Command line: ``python -m wra check [DIR] [--article PATH]``.

``check`` validates the tables and references.bib of the project at DIR
(default: this project), prints every problem as ``path:line: column: message``
and a summary line, and exits 1 if there was any problem, 0 otherwise. With
``--article PATH`` (or the environment variable ``WRA_ARTICLE``) it also
checks that every quotation is verbatim in the article (:mod:`wra.record.quotes`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wra.record import paths


def _check(args: argparse.Namespace) -> int:
    from wra.record.check import validate
    from wra.record.quotes import article_path

    root = Path(args.dir)
    result = validate(root, article_path(args.article))
    for problem in result.problems:
        print(problem)
    print(result.summary())
    return 1 if result.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wra", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p_check = sub.add_parser(
        "check",
        help="validate data/*.csv and references.bib",
        description="Validate every CSV table and references.bib; exit 1 on any problem.",
    )
    p_check.add_argument(
        "dir",
        nargs="?",
        default=str(paths.ROOT),
        metavar="DIR",
        help="project root holding data/ and references.bib (default: %(default)s)",
    )
    p_check.add_argument(
        "--article",
        metavar="PATH",
        default=None,
        help="the source article's text: check every quotation against it "
        "(default: $WRA_ARTICLE; no quotation check when neither is set)",
    )
    p_check.set_defaults(func=_check)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
