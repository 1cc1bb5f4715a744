"""Every quotation in data/ is verbatim from the article (the shared checker)."""

import subprocess
import sys

from wra.record import paths

CHECKER = paths.SHARED / "tools" / "check_quotes.py"


def test_every_quotation_is_verbatim_from_the_article():
    assert CHECKER.exists(), f"the quotation checker is missing: {CHECKER}"
    proc = subprocess.run([sys.executable, str(CHECKER)], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 not verbatim" in proc.stdout
