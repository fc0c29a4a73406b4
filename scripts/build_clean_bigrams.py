"""Build the character model of the GBK-mojibake repair from a general dictionary, not from our reports.

The repair in :mod:`govreports.clean` must guess the byte a corrupted run lost (e.g. whether
``?`` + ``a3`` was ``。`` or ``保``). It chooses the candidate the model finds most likely between its
neighbours: text is a sequence of tokens (words, punctuation marks, numbers); inside a word, a
character follows the previous one as often as the dictionary's words say; across a token
boundary the next token starts with a character as often as words start with it. Two tables:

``govreports/lexicons/clean_char_bigrams.csv`` — ``bigram, end, mid``
    word-internal character pairs: for every word ``w`` of frequency ``f``, each adjacent pair of
    characters gets ``f`` (in ``end`` when the second character ends the word, else ``mid``).
    Pairs below :data:`MIN_BIGRAM` are dropped (keeps the file under 1 MB).
``govreports/lexicons/clean_char_classes.csv`` — ``char, kind, single, begin, mid, end, final``
    for every character (``kind = han``): the frequency of the words it is (one-character word),
    begins, is inside or ends; ``final`` (per mille, 1000 = the average word): how readily a word
    ending in it ends a clause, from the part of speech jieba gives the words
    (:data:`CLAUSE_FINAL`: a numeral, preposition, conjunction or adverb hardly ever stands
    before 。/，). Punctuation (``open``, ``close``, ``stop``) and digits/Latin letters (``alnum``)
    are one-character tokens with a fixed prior rate per word token (:data:`PUNCT_RATES`,
    :data:`ALNUM_RATES`); ``govreports.clean`` forbids impossible sequences such as ``“。``.

Source: the dictionary ``dict.txt`` shipped with jieba 0.42 (https://github.com/fxsjy/jieba,
MIT licence): ~349,000 words with frequencies, lines ``word freq pos``. Words are converted to
simplified characters with OpenCC ``t2s`` (as the repair compares simplified characters); words with
non-Chinese characters are skipped. All counts are in jieba's frequency units; ``W`` (the total
frequency of the words used) is written in the header. The punctuation and digit rates are
round prior values for modern Chinese prose, not measured on our sample reports: no text of
``data/raw`` is used, so the sample reports test how the repair generalises.

jieba is needed only here (it is in the ``test`` extra); the package reads only the two CSV files.
Deterministic: same jieba version → byte-identical files. Run:

    python scripts/build_clean_bigrams.py
"""
from __future__ import annotations

import collections
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govreports.clean import _T2S, _score_norm  # noqa: E402

LEXICONS = ROOT / "govreports" / "lexicons"
OUT_BIGRAMS = LEXICONS / "clean_char_bigrams.csv"
OUT_CLASSES = LEXICONS / "clean_char_classes.csv"

#: word-internal bigrams with a smaller summed frequency are left out (noise, and file size)
MIN_BIGRAM = 40
#: characters whose start + end frequency is smaller are left out of the class table
MIN_CHAR = 3

#: punctuation as tokens: prior rate per word token in modern Chinese prose, and its class.
#: ``open`` comes before a word, ``close`` after one, ``stop`` between clauses.
PUNCT_RATES = {
    "，": ("stop", 0.060), "。": ("stop", 0.030), "、": ("stop", 0.015), "；": ("stop", 0.004),
    "：": ("stop", 0.004), "！": ("stop", 0.001), "？": ("stop", 0.001),
    "“": ("open", 0.008), "”": ("close", 0.008), "‘": ("open", 0.0005), "’": ("close", 0.0005),
    "《": ("open", 0.002), "》": ("close", 0.002), "（": ("open", 0.003), "）": ("close", 0.003),
    "【": ("open", 0.0002), "】": ("close", 0.0002), "「": ("open", 0.0002), "」": ("close", 0.0002),
}
#: digits, '%' and Latin letters as pieces of a number/Latin token (rate per word token, each)
ALNUM_RATES = {**{d: 0.004 for d in "0123456789"}, "%": 0.003, ".": 0.001,
               **{c: 0.0003 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}}

#: how readily a word of a part of speech (jieba's tags) ends a clause, i.e. stands before 。，、；：
#: — a noun or a finished verb phrase does, a numeral (三保), a preposition (对), a conjunction (和)
#: or an adverb hardly ever does. Longest matching tag prefix wins; 0.5 otherwise.
CLAUSE_FINAL = {
    "n": 1.0, "vn": 1.0, "an": 1.0, "a": 1.0, "v": 0.6, "i": 1.0, "l": 1.0, "j": 1.0, "t": 0.8,
    "s": 0.8, "f": 0.8, "k": 0.8, "z": 0.8, "y": 1.0, "e": 1.0, "o": 1.0, "ul": 1.0, "ug": 1.0,
    "r": 0.5, "q": 0.3, "uj": 0.2, "u": 0.1, "b": 0.1, "m": 0.05, "d": 0.05, "p": 0.02, "c": 0.02,
    "h": 0.02,
}


def clause_final(pos: str) -> float:
    for k in range(len(pos), 0, -1):
        if pos[:k] in CLAUSE_FINAL:
            return CLAUSE_FINAL[pos[:k]]
    return 0.5


_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def dict_path() -> Path:
    import jieba

    return Path(os.path.dirname(jieba.__file__)) / "dict.txt"


#: frequency (jieba units) given to each administrative-division name (江西省, 九江市, 浔阳区 …):
#: place names are frequent in government reports but rare in a general dictionary
ADMIN_NAME_FREQ = 300


def admin_division_words() -> list[str]:
    """Full names of China's administrative divisions from the package's own division table
    (official Ministry of Civil Affairs codes; see that file's header), as extra dictionary words."""
    import csv

    path = LEXICONS / "admin_divisions.csv"
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return sorted({row["region_name"] for row in rows if row["region_name"]})


def dictionary_lines(path: Path):
    """jieba's dict.txt lines, then the division names as ``name freq ns`` lines."""
    with path.open(encoding="utf-8") as fh:
        yield from fh
    for name in admin_division_words():
        yield f"{name} {ADMIN_NAME_FREQ} ns"


def count(path: Path) -> tuple[dict[str, list[int]], dict[str, list[float]], int, float]:
    """({bigram: [n_end, n_mid]}, {char: [single, begin, mid, end, final]}, W, clause-final share of
    all words) over the dictionary; ``final`` = frequency of words ending in the character weighted
    by :func:`clause_final` of their part of speech."""
    pairs: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    chars: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0, 0, 0, 0.0])
    weighted = 0.0
    total = 0
    for line in dictionary_lines(path):
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = _score_norm(_T2S.convert(parts[0])), int(parts[1])
        if not _HAN_WORD.match(word) or freq <= 0:
            continue
        total += freq
        fin = freq * clause_final(parts[2] if len(parts) > 2 else "")
        weighted += fin
        chars[word[-1]][4] += fin
        if len(word) == 1:
            chars[word][0] += freq
            continue
        chars[word[0]][1] += freq
        chars[word[-1]][3] += freq
        for ch in word[1:-1]:
            chars[ch][2] += freq
        for i in range(len(word) - 1):
            pairs[word[i : i + 2]][0 if i + 2 == len(word) else 1] += freq
    return pairs, chars, total, weighted / total


def main() -> None:
    import jieba

    pairs, chars, total, share = count(dict_path())
    header = [
        f"# source: jieba {jieba.__version__} dict.txt (https://github.com/fxsjy/jieba, MIT licence),"
        " plus the administrative-division names of admin_divisions.csv;"
        " built by scripts/build_clean_bigrams.py; no report text is used",
        f"# W={total} (total word frequency); counts in jieba frequency units",
    ]
    rows = sorted(((bg, n) for bg, n in pairs.items() if sum(n) >= MIN_BIGRAM), key=lambda r: (-sum(r[1]), r[0]))
    with OUT_BIGRAMS.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(header) + "\n# word-internal character bigrams: end = the second character ends"
                 " the word, mid = the word goes on\n")
        fh.write("bigram,end,mid\n")
        fh.writelines(f"{bg},{n[0]},{n[1]}\n" for bg, n in rows)
    kept = sorted((c for c, n in chars.items() if sum(n[:4]) >= MIN_CHAR), key=lambda c: (-sum(chars[c][:4]), c))
    with OUT_CLASSES.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(header) + "\n# how often a character is a one-character word (single), begins,"
                 " is inside or ends a longer word; punctuation and alnum rows: one-character tokens,"
                 " prior rate per word token times W; final = per mille, how readily a token ending in the"
                 " character ends a clause, relative to the average word\n")
        fh.write("char,kind,single,begin,mid,end,final\n")
        for ch, (kind, rate) in PUNCT_RATES.items():
            fh.write(f"{ch},{kind},{round(rate * total)},0,0,0,1000\n")
        for ch, rate in ALNUM_RATES.items():
            fh.write(f"{ch},alnum,{round(rate * total)},0,0,0,1000\n")
        for c in kept:
            n = chars[c]
            final = round(1000 * n[4] / (n[0] + n[3]) / share) if n[0] + n[3] else 0
            fh.write(f"{c},han,{n[0]},{n[1]},{n[2]},{n[3]},{final}\n")
    print(f"{OUT_BIGRAMS}: {len(rows)} bigrams; {OUT_CLASSES}: {len(kept)} characters; W={total}")


if __name__ == "__main__":
    main()
