"""The course's messages in the student's language: ``COURSE_LANG=ko`` switches them to Korean.

Checker verdicts and hints, explorer warnings and error messages go through :func:`_`, Python's
``gettext`` with the catalogue ``course_utils/locale/<lang>/LC_MESSAGES/course_utils.mo``
(translated in ``locale/ko/LC_MESSAGES/course_utils.po``; ``tools/i18n.py package`` extracts and
compiles it). English is the default and the fallback for anything not translated. The language is
read at each call, so ``%env COURSE_LANG=ko`` in a running notebook takes effect at once.

A message with values is translated first and filled in after::

    _("for input {case}: {reason}").format(case=..., reason=...)

Hints written as data (a :class:`~course_utils.checks.core.Mistake`'s ``hint``, a ``check_value``
hint) are translated when they are shown; :func:`N_` marks other such strings for extraction.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "course_utils"


def language() -> str:
    """The language asked for: ``COURSE_LANG`` (``en`` unless set, e.g. ``ko``)."""
    return os.environ.get("COURSE_LANG", "en").split("_")[0].split("-")[0].lower() or "en"


@lru_cache(maxsize=None)
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the student's language (itself when English or not yet translated)."""
    lang = language()
    return message if lang == "en" else _translations(lang).gettext(message)


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; :func:`_` translates it where it is shown."""
    return message
