"""Text helpers for planning: language detection, candidate key phrases (words and CJK character n-grams)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")

STOPWORDS = frozenset("""
a an the and or but if then so of to in on at by for with from into onto over under up down out about as is are was were
be been being am do does did done have has had having i me my mine myself we our ours you your yours he him his she her
hers it its they them their this that these those there here what which who whom whose when where why how all any both
each few more most other some such no nor not only own same than too very can will just should now also get got make
made one two new good great really best like love lot lots much many way ways thing things day days time today week
still even ever every want need try tried use used using let lets little big first last next back go going went come
again always never maybe quite pretty very well just yeah ok okay after before while because since until via per
took take takes taking lost left found felt feel feels feeling everything something nothing anything someone
morning evening night hour hours minute minutes year years month months weekend weekends tonight yesterday
finally actually literally probably basically almost enough instead another without within around through
perfect better worse worst bad nice fine sure thought think know knew said says put keep kept start started
notes note added adding saw see seen look looked looks home work long short small large
""".split())

# Generic CJK words (time, degree, verdicts) that never name an interest.
CJK_GENERIC = frozenset("""
今天 昨天 明天 周末 终于 感觉 时候 真的 非常 特别 一直 已经 还是 就是 但是 因为 所以 然后 一下 一个 一次 三次 两次
成功 好吃 好看 喜欢 推荐 分享 记录 第一次 一天 小时 分钟 看到 觉得 发现 开始 最后 自己 我们 大家 东西 事情
""".split())
_CJK_NUM = set("一二三四五六七八九十两百千万几第")

# Frequent function characters: an n-gram made only of these is not a key phrase.
CJK_STOP = frozenset("的了是在我你他她它们这那有和也就都很还又吧呢啊吗哦呀嘛个一不人上下来去到说要会着过么给被把让与及或")


def cjk_share(text: str) -> float:
    """Fraction of the letters in `text` that are CJK ideographs."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _CJK_CHAR.match(ch)) / len(letters)


def detect_language(texts: Iterable[str]) -> str:
    """'zh' when most letters are Chinese, else 'en' (the planner's two template languages)."""
    joined = " ".join(texts)
    return "zh" if cjk_share(joined) >= 0.3 else "en"


def english_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def candidate_phrases(text: str, max_n: int = 3) -> list[str]:
    """Key-phrase candidates: English 1-3 word n-grams without stopword edges, CJK 2-4 character n-grams."""
    out: list[str] = []
    lowered = _CJK_RUN.sub(" | ", text.lower())
    for chunk in re.split(r"[|.,;:!?()\[\]\"/#\n]+", lowered):
        words = english_words(chunk)
        for n in range(1, max_n + 1):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if any(w in STOPWORDS for w in gram) or len(gram[-1]) < 3:
                    continue
                if n == 1 and len(gram[0]) < 4:
                    continue
                out.append(" ".join(gram))
    for run in _CJK_RUN.findall(text):
        for n in (2, 3, 4):
            for i in range(len(run) - n + 1):
                gram = run[i:i + n]
                if gram[0] in CJK_STOP or gram[-1] in CJK_STOP or gram[0] in _CJK_NUM:
                    continue
                if gram in CJK_GENERIC or any(g in gram for g in CJK_GENERIC if len(g) >= len(gram) - 1):
                    continue
                out.append(gram)
    return out


def contains_term(text: str, term: str) -> bool:
    """Whole-word match for Latin terms, substring match for CJK terms."""
    if _CJK_CHAR.search(term):
        return term in text
    lowered = term.lower()
    if lowered not in text.lower():  # cheap pre-check; the word-boundary pattern only where it can match
        return False
    return _term_pattern(lowered).search(text.lower()) is not None


@functools.lru_cache(maxsize=8192)
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![a-z]){re.escape(term)}(?![a-z])")


def clip_words(text: str, limit: int) -> str:
    """Shorten to at most `limit` words (CJK counts two characters a word), cutting at a word boundary."""
    from ..schemas.common import count_words

    if count_words(text) <= limit:
        return text
    if cjk_share(text) >= 0.5:
        out = ""
        for ch in text:
            if count_words(out + ch) > limit:
                break
            out += ch
        return out.rstrip("，,、 ")
    words = text.split()
    while words and count_words(" ".join(words)) > limit:
        words.pop()
    return " ".join(words).rstrip(",;:-")
