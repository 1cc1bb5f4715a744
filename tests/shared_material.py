"""Material a test needs from outside the checkout: skip without it, fail without it under CI=true.

Two tests check the record against texts that are not part of the repository:
the quotations against the source article, the positions' excerpts against
the research memo on the historiography. A reader's fresh clone has neither,
so those tests skip, each with a reason that says how to supply what it needs
(``pytest -ra`` lists the reasons; ``make test`` passes ``-ra``). Under
``CI=true`` a missing text is a failure, never a skip: CI always checks them
(``.ci/run`` finds them beside the checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wra.record import paths

#: how to point the tests at the project's shared folder (research notes, reference tools)
HOW_TO_SUPPLY_SHARED = (
    f"put the project's shared folder beside the checkout ({paths.ROOT.parent / 'shared'}) "
    "or name it with WRA_SHARED=/path/to/shared"
)


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing(what: str, how: str) -> None:
    """Skip the test, saying ``what`` is missing and ``how`` to supply it; under CI=true, fail."""
    message = f"{what}: {how}"
    if in_ci():
        pytest.fail(f"CI=true needs it: {message}")
    pytest.skip(message)


def shared_file(relative: str, what: str) -> Path:
    """The file ``relative`` under the shared folder (``paths.SHARED``), or skip (fail under CI=true)."""
    path = paths.SHARED / relative
    if not path.is_file():
        missing(f"{what} is not at {path}", HOW_TO_SUPPLY_SHARED)
    return path
