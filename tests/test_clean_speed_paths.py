"""Fast paths of the cleaner and the structure stage against plain references (crafted and random texts)."""
import random

from govreports.clean import _GLOSS_RE, _Log, _glosses_with_tones, _is_glossed, _is_pinyin, _remove_pinyin


def _remove_pinyin_loop(text: str, log: _Log) -> str:
    """The gloss removal as a loop over the glosses of one split (what the column-wise version replaced)."""
    if "(" not in text:
        return text
    parts = _GLOSS_RE.split(text)
    if len(parts) == 1:
        return text
    allow_toneless = _glosses_with_tones(text, parts[1::2])
    out, n, chars, off, example = [], 0, 0, 0, None
    for j in range(0, len(parts) - 1, 2):
        before, gloss = parts[j], parts[j + 1]
        head = before.rstrip(" \t")
        if head.endswith("\n"):
            head = head[:-1].rstrip(" \t")
        glossed = head[-1:]
        end = off + len(before) + len(gloss) + 2
        if glossed and _is_glossed(glossed) and _is_pinyin(gloss, allow_toneless and not glossed.isascii()):
            n += 1
            k = off + len(head)
            chars += end - k
            if example is None:
                example = (text[max(0, k - 2) : end + 1], text[max(0, k - 2) : k] + text[end : end + 1])
            out.append(head)
        else:
            out += (before, "(", gloss, ")")
        off = end
    if not n:
        return text
    out.append(parts[-1])
    log.add("pinyin_gloss", example[0], example[1], count=n, chars=chars)
    return "".join(out)


def test_pinyin_removal_logs_what_the_loop_over_glosses_logs():
    rng = random.Random(1)
    alphabet = ["中", "镇", "a", "Z", " ", "\t", "\n", "(", ")", "zhèn", "jiāng", "de", "in", "lǐng", "x", "(一)",
                "(zhèn)", "(qū)", "(de)", " (jiāng)", "\n(lǐng)"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        log, ref_log = _Log(), _Log()
        assert _remove_pinyin(text, log) == _remove_pinyin_loop(text, ref_log), text
        assert log.rows == ref_log.rows, text


def test_spam_scores_of_lines_equal_each_line_scored_alone():
    from govreports.clean import _spam_score, _spam_scores

    rng = random.Random(2)
    alphabet = ["在线", "影院", "自拍", "成人", "高清", "视频", "av", "AV", "Www", "w", "中", "，", " ", "\u212a", "\u017f",
                "ｗ", "在", "线"]
    for _ in range(3000):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(8))) for _ in range(rng.randrange(6))]
        assert _spam_scores(lines) == [_spam_score(ln) for ln in lines], lines


def test_patterns_starting_with_a_literal_match_what_their_plain_forms_match():
    import re

    from govreports.clean import _ENTITY_RE, _FW_POINT_RE

    plain = {
        _ENTITY_RE: re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});"
                               r"|(?:ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|nbsp);"),
        _FW_POINT_RE: re.compile(r"(?<=\d)．(?=\d)"),
    }
    rng = random.Random(3)
    alphabet = ["&", ";", "#", "x", "l", "dquo", "rdquo", "nbsp", "mdash", "hellip", "middot", "amp", "1", "2", "９",
                "a", "F", "．", ".", "中", " ", "\n", "&ldquo;", "quo;"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(20)))
        for fast, reference in plain.items():
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in reference.finditer(text)], text


def test_contains_and_active_chrome_patterns_equal_plain_substring_tests():
    from govreports.clean import _FEW_PLACES, _chrome_in, _chrome_patterns, _contains, _may_match

    line, tail = _chrome_patterns()
    needles = sorted({x for _, _, n, _ in line + tail for alts in n for x in alts})
    rng = random.Random(4)
    # needles and their pieces, common characters, and enough repeats to pass _FEW_PLACES
    alphabet = needles + [x[:2] for x in needles] + ["中", "a", "\n", " ", "：", "页", "关", "。"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        if rng.random() < 0.2:
            text += rng.choice(needles)[:1] * (_FEW_PLACES + 1)
        contains = _contains(text)
        for x in needles + ["", "x", "ab", "\U00020000", "a\U00020000"]:
            assert contains(x) == (x in text), (x, text)
        (kept, unanchored, gate), kept_tail = _chrome_in(text)
        assert [p for _, p, _, _ in kept] == [p for _, p, n, _ in line if _may_match(n, text)], text
        assert [p for _, p, _, _ in kept_tail] == [p for _, p, n, _ in tail if _may_match(n, text)], text
    assert _contains("a" * 300)("aa")  # counts above the largest code point


def _find_run_end_loop(line: str, q: int) -> list[tuple[int, str]]:
    """The ends of a mojibake run, found character by character (what the regex version replaced)."""
    import re

    ends = []
    i = q + 1
    while i < len(line) and i - q <= 60:
        ch = line[i]
        if ch == "?":
            ends.append((i + 1, "dangling"))
        elif ch == "€" or (0x40 <= ord(ch) < 0x7F):
            if not re.match(r"[a-z]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", line[i + 1 :]):
                ends.append((i + 1, "letter"))
            break
        elif not re.match(r"[^\x00-\x7f]|[!;:,()?]", ch):
            break
        i += 1
    return ends


def test_run_ends_equal_the_character_loop():
    from govreports.clean import _find_run_end

    rng = random.Random(5)
    alphabet = ["?", "中", "€", "a", "Z", "@", "~", "\x7f", "1", " ", "!", ";", ":", ",", "(", ")", "-", "é", "ù",
                "\u20ab", "\u20ad", "\U00020000", "shù", "\n", "?" * 3, "鎮" * 20]
    for _ in range(20000):
        line = "?" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        for q in [i for i, c in enumerate(line) if c == "?"]:
            assert _find_run_end(line, q) == _find_run_end_loop(line, q), (line, q)
