"""Content keys: a digest of files' paths and bytes, never of their times.

Used by the execution cache's inputs (:mod:`wra_book.inputs`), the PDF
(``tools/pdf.py``) and ``make book``'s check that nothing changed
(``tools/book.py``). Imports nothing heavy, so a no-op ``make book`` stays quick.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest_files(files, root: Path | str, extra: str = "") -> str:
    """The sha256 of each file's path (relative to ``root``) and bytes, in the order given (a missing
    file counts as missing), then ``extra``."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in files:
        path = Path(path)
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    digest.update(extra.encode())
    return digest.hexdigest()
