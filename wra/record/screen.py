"""What text may hold beyond its column's type: keys and names that look alike, invisible letters, links.

The check (:mod:`wra.record.check`) refuses, besides control and format
characters in every cell:

* **invisible letters** anywhere (:data:`INVISIBLE`): the Hangul fillers
  (U+115F, U+1160, U+3164, U+FFA0), the braille blank and the other
  characters Unicode lets a renderer draw as nothing. Each passes a test for
  "not blank" while a reader sees nothing;
* in a **key or a visible name** (:data:`wra.record.schema.KEY_COLUMNS`,
  :data:`wra.record.schema.NAME_COLUMNS`): a variation selector, a CJK
  compatibility ideograph (U+F900-U+FAFF, U+2F800-U+2FA1F: 西路军 written with
  U+F937 for 路 looks the same and is another key), any text not in Unicode
  normal form NFC, and a space at either end (:func:`name_problem`);
* two keys that differ only in such things (:func:`fold`): a duplicate;
* a **link** that is not http(s) (:func:`url_problem`), or a DOI that is not a bare DOI
  (:func:`doi_problem`): a ``javascript:`` URL would run script when clicked.

:func:`visible` is what "not blank" means: at least one letter, digit,
punctuation mark or symbol a reader can see.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

#: letters and marks that render as nothing (Unicode's default-ignorable code points that are not
#: format characters, which the check refuses anyway, plus the braille blank)
INVISIBLE = {
    "\u034f": "COMBINING GRAPHEME JOINER",
    "\u115f": "HANGUL CHOSEONG FILLER",
    "\u1160": "HANGUL JUNGSEONG FILLER",
    "\u17b4": "KHMER VOWEL INHERENT AQ",
    "\u17b5": "KHMER VOWEL INHERENT AA",
    "\u2800": "BRAILLE PATTERN BLANK",
    "\u3164": "HANGUL FILLER",
    "\uffa0": "HALFWIDTH HANGUL FILLER",
}

#: variation selectors: they pick a glyph variant, so two keys that look the same can differ
_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")
_COMPATIBILITY = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")


def _name(char: str) -> str:
    return unicodedata.name(char, INVISIBLE.get(char, "unnamed character"))


def invisible_problem(text: str) -> str | None:
    """Why ``text`` holds a letter that renders as nothing, or None."""
    for at, char in enumerate(text, 1):
        if char in INVISIBLE:
            return (
                f"invisible character U+{ord(char):04X} ({INVISIBLE[char]}) at character {at}: "
                "remove it (a reader sees nothing there)"
            )
    return None


def name_problem(text: str) -> str | None:
    """Why ``text``, a key or a name a reader sees, could pass for another one, or None."""
    selector = _SELECTORS.search(text)
    if selector:
        char = selector[0]
        return (
            f"variation selector U+{ord(char):04X} ({_name(char)}) at character {selector.start() + 1}: "
            "remove it (the name looks the same without it, and would not match)"
        )
    compatibility = _COMPATIBILITY.search(text)
    if compatibility:
        char = compatibility[0]
        plain = unicodedata.normalize("NFC", char)
        return (
            f"CJK compatibility ideograph U+{ord(char):04X} at character {compatibility.start() + 1}, "
            f"which shows as {plain} (U+{ord(plain[0]):04X}): write {plain} itself"
        )
    if not unicodedata.is_normalized("NFC", text):
        at = next(i for i, c in enumerate(text, 1) if unicodedata.normalize("NFC", c) != c or unicodedata.combining(c))
        char = text[at - 1]
        return (
            f"not in Unicode normal form NFC: U+{ord(char):04X} ({_name(char)}) at character {at} "
            "is written in parts; save the text as NFC (the accented letter as one character)"
        )
    if text != text.strip():
        return "starts or ends with a space: remove it (the name would not match)"
    return None


def visible(text: str) -> bool:
    """True if ``text`` holds something a reader sees: a letter, digit, punctuation mark or symbol."""
    return any(unicodedata.category(c)[0] in "LNPS" and c not in INVISIBLE for c in text)


def fold(text: str) -> str:
    """The form under which two keys or names are the same: NFKC, no invisible characters or
    selectors, case and runs of spaces ignored (张国焘 and 张国焘 + U+FE00; Gulang and ＧULANG)."""
    text = unicodedata.normalize("NFKC", _SELECTORS.sub("", text))
    kept = "".join(c for c in text if c not in INVISIBLE and unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(kept.casefold().split())


def url_problem(text: str) -> str | None:
    """Why ``text`` is not a link the book may show (an absolute http or https URL), or None."""
    if any(c.isspace() or not c.isprintable() for c in text):
        return f"not a URL: {text!r} holds a space or an invisible character"
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError as exc:
        return f"not a URL: {text!r} ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"scheme {text[: len(parts.scheme) + 1]!r}" if parts.scheme else "no scheme"
        return f"a link must start with http:// or https://; {text!r} has {scheme}"
    if not host:
        return f"not a URL: {text!r} names no host"
    if "@" in parts.netloc:
        return f"a link must not carry a user name or password before its host: {text!r}"
    return None


def doi_problem(text: str) -> str | None:
    """Why ``text`` is not a bare DOI (10.NNNN/...; the book links it at https://doi.org/), or None."""
    if _DOI.match(text) and text.isprintable():
        return None
    return f"not a DOI: {text!r} (write the DOI alone, like 10.1234/abc; the book adds https://doi.org/)"
