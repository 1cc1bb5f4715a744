"""`make mutate`: a mutation run over the analysis modules, held to a ratchet.

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) changes the analysis
code one small edit at a time (``<=`` to ``<``, ``>=`` to ``>``, a dropped
statement, ...) and runs the unit tests against each mutant. A mutant the
tests do not notice *survives*: a bug the tests would let through.

Every run starts from a clean slate (``mutants/`` is removed first): mutmut's
cached verdicts would hide a test weakened since they were recorded.

``tests/mutation-baseline.json`` records how many mutants survive in each
function. The run fails when any function has more survivors than its
baseline (a weakened test, or new code without tests), so the count can only
go down. ``--update`` rewrites the baseline after tests were added; it never
raises a count without ``--allow-more``.

    python tools/mutate.py [--update] [--allow-more]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "mutation-baseline.json"
# "    wra.analysis.strength.x_point_in_time__mutmut_4: survived" (methods: xǁClassǁmethod)
RESULT = re.compile(r"^\s*(?P<function>\S+?)__mutmut_\d+: (?P<status>.+)$")
ALIVE = {"survived", "no tests", "timeout", "suspicious"}


def mutmut(*args: str) -> str:
    exe = Path(sys.executable).parent / "mutmut"
    proc = subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        sys.exit(f"mutmut {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc.stdout


def survivors(results: str) -> Counter:
    """Surviving mutants per function (mutmut's name for it) from ``mutmut results --all true``."""
    alive: Counter = Counter()
    for line in results.splitlines():
        match = RESULT.match(line)
        if match and match["status"].strip() in ALIVE:
            alive[match["function"]] += 1
    return alive


def worse(alive: Counter, baseline: dict[str, int]) -> list[str]:
    return [
        f"{name}: {count} surviving mutants, baseline {baseline.get(name, 0)}"
        for name, count in sorted(alive.items())
        if count > baseline.get(name, 0)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the new counts to the baseline")
    parser.add_argument("--allow-more", action="store_true", help="with --update: accept higher counts")
    args = parser.parse_args(argv)
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    mutmut("run")
    results = mutmut("results", "--all", "true")
    total = sum(1 for line in results.splitlines() if RESULT.match(line))
    alive = survivors(results)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    print(
        f"{total} mutants, {total - sum(alive.values())} killed, {sum(alive.values())} survived "
        f"(baseline {sum(baseline.values())}); `mutmut results` lists them, `mutmut show NAME` shows one"
    )
    regressions = worse(alive, baseline)
    if args.update and (not regressions or args.allow_more):
        BASELINE.write_text(json.dumps(dict(sorted(alive.items())), indent=1) + "\n", encoding="utf-8")
        print(f"baseline written: {BASELINE.relative_to(ROOT)}")
        return 0
    for line in regressions:
        print(f"error: {line}", file=sys.stderr)
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
