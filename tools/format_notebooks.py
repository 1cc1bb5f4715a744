"""Write the notebooks in the form JupyterLab (jupytext) saves them: `make format-notebooks`.

JupyterLab saves a MyST notebook through jupytext, which writes cell options in
its own YAML style. A notebook written in that form survives a save in
JupyterLab, and a round trip through ``.ipynb``, byte for byte
(``tests/test_jupyter.py`` checks every notebook). This script rewrites
``notebooks/*.md`` into that form, with the project's ``jupytext.toml``:

* figure captions become one-line strings (a caption is one paragraph; YAML
  folds it over lines, and jupytext writes a multi-line string quoted, with a
  blank line for every line break);
* cell options are sorted by key (an ``.ipynb`` file stores them sorted);
* everything else is what jupytext writes: e.g. a blank line after ``:tags:``.

``--check`` changes nothing and exits 1 naming the notebooks not in that form.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file

ROOT = Path(__file__).resolve().parent.parent
FORMAT = "md:myst"


def config_for(path: Path):
    found = find_jupytext_configuration_file(str(path.parent))
    if not found:
        raise SystemExit(f"no jupytext configuration above {path}")
    return load_jupytext_configuration_file(found)


def _sorted(value):
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _one_line_captions(value):
    if isinstance(value, dict):
        return {
            k: (re.sub(r"\s+", " ", v).strip() if k == "caption" and isinstance(v, str) else _one_line_captions(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_one_line_captions(v) for v in value]
    return value


def formatted(path: Path) -> str:
    config = config_for(path)
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt=FORMAT, config=config)
    for cell in nb.cells:
        cell.metadata = _sorted(_one_line_captions(dict(cell.metadata)))
    return jupytext.writes(nb, fmt=FORMAT, config=config)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.md"))
    changed = []
    for path in paths:
        new = formatted(path)
        if new != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(f"{path}: {'not in jupytext form' if args.check else 'rewritten'}")
    return 1 if (changed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
