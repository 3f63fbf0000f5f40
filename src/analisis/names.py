"""Names: normalisation, exact-then-fuzzy one-to-one matching, pseudonyms.

Matching is deliberately simple and explainable so a person can check every decision:

1. ``match`` overrides pair the two names they give (either way round);
2. names equal after :func:`normalise_name` are paired;
3. the remaining pairs with a rapidfuzz ``token_sort_ratio`` at or above the threshold
   are paired greedily, best score first, ties broken by the names in alphabetical
   order, each name used once.  Every fuzzy pair is reported for a human to confirm.

``no_match`` overrides forbid a pair at steps 2 and 3.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from analisis.config import DEFAULTS

#: Titles, honorifics and degrees removed from either end of a name (compared after
#: the same normalisation as names, so ``S.Keb`` is the two words ``s keb``).
#: Titles dropped from names, from the config schema's ``cleaning.name_titles`` default.
DEFAULT_NAME_TITLES: tuple[str, ...] = tuple(DEFAULTS["cleaning"]["name_titles"])

_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_NON_WORD = re.compile(r"[^\w\s]|_")


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Apostrophes join (Nur'aini = Nuraini); other punctuation separates (Siti.Aminah).
    folded = _APOSTROPHES.sub("", folded)
    return _NON_WORD.sub(" ", folded).split()


@functools.lru_cache(maxsize=32)
def _title_tokens(titles: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Titles as token tuples, longest first (so ``s tr keb`` goes before ``keb``).

    Ties are broken alphabetically: a set's order changes with PYTHONHASHSEED, and
    the order decides which title is removed first.
    """
    return sorted({tuple(_tokens(t)) for t in titles if _tokens(t)}, key=lambda t: (-len(t), t))


@functools.lru_cache(maxsize=32)
def _titles_by_length(titles: tuple[str, ...]) -> list[tuple[int, frozenset[tuple[str, ...]]]]:
    """Title token tuples grouped by length, longest first."""
    groups: dict[int, set[tuple[str, ...]]] = {}
    for title in _title_tokens(titles):
        groups.setdefault(len(title), set()).add(title)
    return [(n, frozenset(groups[n])) for n in sorted(groups, reverse=True)]


def normalise_name(raw: object, titles: Iterable[str] = DEFAULT_NAME_TITLES) -> str:
    """Name as compared: NFKC, case-folded, punctuation removed, spaces collapsed, titles removed.

    Titles are removed one at a time from either end, always trying the longest title
    first (``S.ST.`` as one title, not ``ST`` leaving an ``S``); a name that is nothing
    but titles is kept whole rather than emptied.  Blank input gives ``""``.

    Parameters
    ----------
    raw : object
        The name as written in the export.
    titles : iterable of str
        Titles to remove (normalised the same way, so ``"S.Keb"`` and ``"s keb"`` agree).

    Examples
    --------
    >>> normalise_name("  Ibu  SITI   Aminah, S.Keb ")
    'siti aminah'
    >>> normalise_name("Hj. Nur'aini"), normalise_name("Ny.Rahmawati")
    ('nuraini', 'rahmawati')
    >>> normalise_name("Bd. Yeni Oktarina, S.ST., M.Keb")
    'yeni oktarina'
    >>> normalise_name("Bu")
    'bu'
    """
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return ""
    kept = _tokens(str(raw))
    by_length = _titles_by_length(tuple(titles))
    while kept:
        for n, titles_n in by_length:
            if len(kept) <= n:
                continue
            # Among titles of one length the alphabetically first wins, the start
            # before the end: the order of :func:`_title_tokens`, looked up in a set.
            ends = [(tuple(kept[:n]), 0), (tuple(kept[-n:]), 1)]
            found = [(title, end) for title, end in ends if title in titles_n]
            if found:
                kept = kept[n:] if min(found)[1] == 0 else kept[:-n]
                break
        else:
            break
    return " ".join(kept)


def normalise_phone(text: str) -> str | None:
    """A phone number as compared: Indonesian mobile numbers in the one form ``08…``.

    Rule: keep the digits; a mobile number is ``8`` followed by 8 to 11 digits, written
    after ``0`` (national), ``62`` or ``+62`` (international) or after nothing (Excel
    drops a leading 0 of a number it takes for an integer); all four become ``0`` +
    the number.  Other numbers keep their digits, with a leading ``62`` read as ``0``.
    No digits give None.  Reference: ITU-T E.164 assigns Indonesia the country code
    62, and the national numbering plan (Permenkominfo No. 14/2018) gives mobile
    numbers the prefix 08 nationally and 8 after the country code.

    Examples
    --------
    >>> [normalise_phone(p) for p in ("0853-1111-2222", "853 1111 2222", "+62 853 1111 2222",
    ...                               "6285311112222", "(021) 555 1234", "-")]
    ['085311112222', '085311112222', '085311112222', '085311112222', '0215551234', None]
    """
    digits = re.sub(r"\D", "", text)
    national = digits[2:] if digits.startswith("62") else digits
    national = national.lstrip("0")
    if national.startswith("8") and 9 <= len(national) <= 12:
        return "0" + national
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits or None


def name_similarity(a: str, b: str) -> float:
    """rapidfuzz ``token_sort_ratio`` (0–100) of two normalised names.

    Insensitive to word order; one swapped or changed letter in an 11-letter name
    scores about 90.

    Examples
    --------
    >>> round(name_similarity("siti aminah", "siti aminha"), 1)
    90.9
    >>> name_similarity("aminah siti", "siti aminah")
    100.0
    """
    return float(fuzz.token_sort_ratio(a, b))


def _pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def match_names(
    left: Mapping[str, Sequence[str]],
    right: Sequence[str],
    threshold: float,
    forced: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Pair keys of ``left`` with names of ``right`` one-to-one: overrides, exact, then fuzzy.

    Parameters
    ----------
    left : mapping of key to names
        Each left entry (a person) with every normalised name known for it; a right name
        matches the entry if it matches any of these names.
    right : sequence of str
        Normalised names, distinct.
    threshold : float
        Minimum :func:`name_similarity` of a fuzzy match.
    forced, forbidden : iterable of (name, name)
        Normalised name pairs from ``match`` and ``no_match`` overrides (either order).

    Returns
    -------
    DataFrame
        ``left, right, method ("override" | "exact" | "fuzzy"), score``, sorted by left
        key.  ``score`` is the best similarity between the right name and the entry's names.

    Examples
    --------
    >>> m = match_names({"k1": ["siti aminah"], "k2": ["rina"]}, ["siti aminha", "rina"], 85)
    >>> m[["left", "right", "method"]].to_numpy().tolist(), m["score"].round(1).tolist()
    ([['k1', 'siti aminha', 'fuzzy'], ['k2', 'rina', 'exact']], [90.9, 100.0])
    >>> match_names({"k1": ["siti aminah"]}, ["siti aminha"], 85,
    ...             forbidden=[("siti aminah", "siti aminha")]).empty
    True
    """
    forbidden_pairs = {_pair_key(a, b) for a, b in forbidden}
    forced_partners: dict[str, set[str]] = {}
    for a, b in forced:
        forced_partners.setdefault(a, set()).add(b)
        forced_partners.setdefault(b, set()).add(a)
    right_set = set(right)

    def best(key: str, name: str) -> float:
        return max(name_similarity(alias, name) for alias in left[key])

    def allowed(key: str, name: str) -> bool:
        return not any(_pair_key(alias, name) in forbidden_pairs for alias in left[key])

    used_left: set[str] = set()
    used_right: set[str] = set()
    rows: list[tuple[str, str, str, float]] = []

    # Each step looks names up in sets, so matching grows with the number of names,
    # not with their product; within a key the alphabetically first partner wins.
    for method, partners_of in (
        ("override", lambda alias: forced_partners.get(alias, ())),
        ("exact", lambda alias: (alias,)),
    ):
        for key in sorted(left):
            if key in used_left:
                continue
            partners = sorted(
                {
                    name
                    for alias in left[key]
                    for name in partners_of(alias)
                    if name in right_set and name not in used_right
                }
            )
            if method == "exact":
                partners = [name for name in partners if allowed(key, name)]
            if partners:
                used_left.add(key)
                used_right.add(partners[0])
                rows.append((key, partners[0], method, best(key, partners[0])))
    for negative_score, key, name in _fuzzy_candidates(
        {k: v for k, v in left.items() if k not in used_left},
        [name for name in right if name not in used_right],
        threshold,
    ):
        if key not in used_left and name not in used_right and allowed(key, name):
            used_left.add(key)
            used_right.add(name)
            rows.append((key, name, "fuzzy", -negative_score))
    frame = pd.DataFrame(rows, columns=["left", "right", "method", "score"])
    return frame.sort_values(["left", "right"], ignore_index=True)


def _fuzzy_candidates(
    left: Mapping[str, Sequence[str]], right: Sequence[str], threshold: float
) -> list[tuple[float, str, str]]:
    """``(-score, key, name)`` of every pair at or above the threshold, best first.

    The score of a key is the best :func:`name_similarity` over its names; rapidfuzz's
    ``cdist`` computes the same ``token_sort_ratio`` in C, a block of rows at a time so
    memory stays bounded when few names match exactly.
    """
    keys = list(left)
    aliases = [alias for key in keys for alias in left[key]]
    owners = np.repeat(np.arange(len(keys)), [len(left[key]) for key in keys])
    if not aliases or not right:
        return []
    block = max(1, 2**22 // len(right))
    best: dict[tuple[int, int], float] = {}
    for start in range(0, len(aliases), block):
        scores = process.cdist(
            aliases[start : start + block],
            right,
            scorer=fuzz.token_sort_ratio,
            dtype=np.float64,
            score_cutoff=threshold,
        )
        for i, j in np.argwhere(scores >= threshold):
            pair = (int(owners[start + i]), int(j))
            best[pair] = max(best.get(pair, 0.0), float(scores[i, j]))
    return sorted((-score, keys[i], right[j]) for (i, j), score in best.items())


def pseudonym_order(cohort: str, canonical_names: Sequence[str]) -> list[int]:
    """Order in which people receive pseudonyms: by SHA-256 of ``cohort`` and their name.

    The order depends only on who is in the cohort, not on the order of rows in any
    export, and, unlike alphabetical order, it reveals nothing about the names.

    Returns
    -------
    list of int
        Positions into ``canonical_names``; ties (equal names) keep their given order.

    Examples
    --------
    >>> pseudonym_order("c", ["b", "a"]) == pseudonym_order("c", ["b", "a"])
    True
    """

    def digest(name: str) -> str:
        return hashlib.sha256(f"{cohort}\x1f{name}".encode()).hexdigest()

    return sorted(range(len(canonical_names)), key=lambda i: (digest(canonical_names[i]), i))


def pseudonyms(prefix: str, count: int) -> list[str]:
    """``K01 … Knn``: zero-padded to at least two digits, wider when there are ≥ 100.

    Examples
    --------
    >>> pseudonyms("K", 3), pseudonyms("A", 1)[0], pseudonyms("K", 120)[-1]
    (['K01', 'K02', 'K03'], 'A01', 'K120')
    """
    width = max(2, len(str(count)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]


def pseudonym_prefix(code: str | None, letter: str) -> str:
    """``K`` for one village, ``DLM-K`` with village code ``DLM`` (two or more villages).

    Examples
    --------
    >>> pseudonyms(pseudonym_prefix("DLM", "K"), 1), pseudonyms(pseudonym_prefix(None, "A"), 1)
    (['DLM-K01'], ['A01'])
    """
    return letter if code is None else f"{code}-{letter}"
