"""Soft hyphens in table headers (issue #19 item 3): a header breaks only where its language
allows, never inside a syllable ("Val/mis", "Kun/tak/ood/i" broke anywhere).

Finnish by Voikko (Debian's libvoikko1 and voikko-fi, through the ``libvoikko`` binding), which
knows Finnish compounds; Swedish by pyphen (LibreOffice's patterns); English as it is. Without
Voikko the app runs as before, its Finnish headers without soft hyphens, and says so once in the
log. A break leaves at least two letters on each side; a word of digits or a figure is never
touched.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import cache, lru_cache

LOG = logging.getLogger("tilannekuva.hyphenation")
SOFT_HYPHEN = "\u00ad"
MIN_PART = 2  # letters before the first break and after the last
_WORD = re.compile(r"[^\W\d_]{5,}")  # letters only, long enough to break: figures never
_LOCK = threading.Lock()  # a Voikko handle is not thread-safe; Streamlit runs sessions in threads


@cache
def _hyphenator(lang: str) -> Callable[[str], str] | None:
    """The function that puts soft hyphens into one word of ``lang``; None when there is none."""
    if lang == "fi":
        try:
            import libvoikko

            voikko = libvoikko.Voikko("fi")
        except Exception as error:  # the library (OSError) or its dictionary is missing
            LOG.warning(
                "Voikko is not available (%s): Finnish headers are not hyphenated; install "
                "libvoikko1 and voikko-fi (make run does when it can)",
                error,
            )
            return None

        def finnish(word: str) -> str:
            with _LOCK:
                return voikko.hyphenate(word, SOFT_HYPHEN, False)

        return finnish
    if lang == "sv":
        import pyphen

        swedish = pyphen.Pyphen(lang="sv", left=MIN_PART, right=MIN_PART)
        return lambda word: swedish.inserted(word, hyphen=SOFT_HYPHEN)
    return None


@lru_cache(maxsize=4096)
def hyphenated(text: str, lang: str) -> str:
    """``text`` with a soft hyphen at each place its words may break in ``lang``."""
    hyphenate = _hyphenator(lang)
    if hyphenate is None:
        return text
    return _WORD.sub(lambda match: _trimmed(hyphenate(match.group())), text)


def _trimmed(word: str) -> str:
    """The word without the breaks that would leave fewer than MIN_PART letters on a line
    ("O-suus", "A-loittamatta")."""
    parts = word.split(SOFT_HYPHEN)
    while len(parts) > 1 and len(parts[0]) < MIN_PART:
        parts[:2] = [parts[0] + parts[1]]
    while len(parts) > 1 and len(parts[-1]) < MIN_PART:
        parts[-2:] = [parts[-2] + parts[-1]]
    return SOFT_HYPHEN.join(parts)
