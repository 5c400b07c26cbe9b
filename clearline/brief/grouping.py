"""Which customer questions are the same question in different words.

Pure Python: a question becomes a set of content words (lower case, no punctuation, no filler
words, plurals and verb endings folded), and two questions match when those sets mostly overlap
(Dice coefficient). Words spelled slightly differently ("paymnet", "payment") count as the same.
"""

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

#: Two questions whose content words overlap at least this much are one question. Tuned on the
#: near-misses in tests/brief/test_grouping.py: "Do we need to reset passwords?" / "Should our
#: users reset their passwords?" score 0.8 and group; "Were we charged twice?" / "Were we
#: charged the wrong amount?" score 0.4 and "Is my data safe?" / "Was my data deleted?" 0.5,
#: and stay apart.
THRESHOLD = 0.6
#: Misspellings of one word, compared after folding: "paymnet"/"payment" score 0.86 and match;
#: "charg"/"chang" (charged, changed) 0.8 and "export"/"expert" 0.83 do not.
SAME_WORD = 0.85
_MIN_FUZZY_LENGTH = 5

_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset(
    """
    a about after again all am an and any anything are as at be been being but by can could
    did do does doing for from get got had has have having hello hi how i if in is it its just
    know let me my need now of on or our ours please should so some still than thank thanks
    that the their them then there these they this those to too us very was we were what when
    where which who why will with would yet you your yours
    incident issue outage problem today
    """.split()
)
# Folded before the ending rules: forms those rules would not bring together.
_IRREGULAR = {"lost": "lose", "went": "go", "gone": "go", "going": "go", "cannot": "cant"}


def _stem(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """The words that carry a question's meaning, folded to one form each."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "")  # "don't" → "dont", "customer's" → "customers"
    return frozenset(_stem(w) for w in _WORD.findall(plain) if w not in _FILLER)


# Cached: an incident's questions reuse a small vocabulary, so the same pairs come up again and
# again as each new question is compared with every wording logged before it.
@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    shorter, longer = sorted((len(a), len(b)))
    if shorter < _MIN_FUZZY_LENGTH or 2 * shorter / (shorter + longer) < SAME_WORD:
        return False
    matcher = SequenceMatcher(None, a, b)
    # The cheap upper bounds first: most word pairs share too few letters to be one word.
    return (
        matcher.real_quick_ratio() >= SAME_WORD
        and matcher.quick_ratio() >= SAME_WORD
        and matcher.ratio() >= SAME_WORD
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient over content words, a misspelt word counting as a match."""
    if not a or not b:
        return 0.0
    exact = a & b
    unmatched = sorted(b - exact)
    shared = len(exact)
    for word in sorted(a - exact):
        match = next((w for w in unmatched if _same_word(word, w)), None)
        if match is not None:
            unmatched.remove(match)
            shared += 1
    return 2 * shared / (len(a) + len(b))


def best_match(text: str, candidates: Iterable[tuple[int, str]]) -> int | None:
    """The key of the candidate wording closest to `text`, if any is close enough.

    `candidates` are (key, wording) pairs — every wording already in each group, so a group
    matches when any of its members does.
    """
    words = content_words(text)
    scored = [(similarity(words, content_words(wording)), key) for key, wording in candidates]
    # Highest score wins; on a tie the older group (smaller key) keeps the question.
    score, key = max(((s, -k) for s, k in scored), default=(0.0, 0))
    return -key if score >= THRESHOLD else None
