"""Presentation style (tone tags, information density) and implicit needs / decision tendencies, with evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..schemas.common import TONE_TAGS
from ..schemas.profile import StyleProfile, Trait
from .text import contains_term

# Prototype sentences: a note close to one in embedding space reads in that tone.
TONE_PROTOTYPES: dict[str, str] = {
    "humorous": "haha this is so funny, I can't stop laughing at this silly fail",
    "informative": "a detailed step by step guide with specs, numbers and a comparison of options",
    "calm": "a slow quiet peaceful morning, soft light, taking my time and relaxing",
    "energetic": "let's go! fast intense workout, pumped up, pushing hard, crushing it",
    "premium": "luxury high-end craftsmanship, elegant refined materials worth the investment",
    "practical": "a practical everyday tip that saves time and money and simply works",
    "warm": "a cozy heartwarming moment with friends and family, feeling grateful",
    "playful": "cute colourful fun little things that make me smile, so adorable",
    "inspirational": "you can do it, my journey and progress, believe in yourself and keep going",
}

TONE_CUES: dict[str, tuple[str, ...]] = {
    "humorous": ("haha", "lol", "lmao", "funny", "joke", "哈哈", "笑死", "搞笑", "绝了", "离谱"),
    "informative": ("guide", "step", "tips", "review", "compare", "vs", "how to", "tutorial", "spec", "测评", "教程",
                    "攻略", "步骤", "对比", "干货", "科普", "参数"),
    "calm": ("slow", "quiet", "peaceful", "relax", "gentle", "soft", "calm", "安静", "治愈", "慢慢", "放松", "温柔"),
    "energetic": ("!!", "fast", "intense", "pumped", "crush", "let's go", "power", "冲", "燃", "暴汗", "快", "爆"),
    "premium": ("luxury", "premium", "high-end", "elegant", "craftsmanship", "heirloom", "高级", "质感", "奢", "精致"),
    "practical": ("practical", "useful", "budget", "save", "easy", "quick", "hack", "实用", "省", "方便", "平价",
                  "好用"),
    "warm": ("cozy", "family", "friends", "grateful", "love", "温馨", "家人", "朋友", "幸福", "暖"),
    "playful": ("cute", "fun", "adorable", "colorful", "colourful", "可爱", "好玩", "有趣", "萌"),
    "inspirational": ("journey", "progress", "goal", "motivation", "believe", "坚持", "目标", "进步", "励志"),
}

NEED_CUES: dict[str, tuple[str, ...]] = {
    "save time": ("quick", "fast", "minutes", "busy", "time-saving", "shortcut", "省时", "快手", "几分钟", "忙"),
    "learn a skill": ("learn", "learning", "beginner", "tutorial", "technique", "practice", "学", "新手", "教程",
                      "技巧", "练习"),
    "self-care": ("self-care", "routine", "relax", "unwind", "pamper", "me time", "悦己", "放松", "仪式感", "犒劳"),
    "organised space": ("organize", "organise", "declutter", "storage", "tidy", "收纳", "整理", "断舍离"),
    "share with others": ("friends", "share", "gift", "together", "community", "分享", "送礼", "朋友", "一起"),
    "make things last": ("durable", "repair", "maintain", "long-lasting", "restore", "耐用", "修", "保养"),
}

TENDENCY_CUES: dict[str, tuple[str, ...]] = {
    "price-sensitive": ("cheap", "budget", "deal", "discount", "sale", "affordable", "price", "save money", "平价",
                        "性价比", "便宜", "省钱", "优惠", "打折", "白菜价"),
    "quality-oriented": ("quality", "durable", "premium", "well-made", "craftsmanship", "worth it", "品质", "质感",
                         "做工", "耐用", "值得"),
    "convenience": ("easy", "convenient", "quick", "simple", "one-step", "hassle", "方便", "省事", "简单", "一键",
                    "懒人"),
    "self-expression": ("my style", "custom", "handmade", "unique", "personal", "diy", "original", "个性", "原创",
                        "手作", "定制", "独一无二"),
    "research-driven": ("review", "compare", "tested", "vs", "specs", "research", "测评", "对比", "实测", "参数",
                        "横评"),
}


def _hits(text: str, cues: Sequence[str]) -> int:
    return sum(1 for cue in cues if contains_term(text, cue))


def tone_tags(texts: Sequence[str], embeddings: np.ndarray, embedder, language: str) -> list[str]:
    """Up to three tone tags: embedding votes against prototype sentences plus lexical cues."""
    protos = embedder.embed([TONE_PROTOTYPES[t] for t in TONE_TAGS])
    sims = embeddings @ protos.T if len(texts) else np.zeros((0, len(TONE_TAGS)))
    # Chinese text sits far from English prototypes: let the lexicon carry more of the weight.
    emb_weight = 0.4 if language == "zh" else 1.0
    votes = np.zeros(len(TONE_TAGS))
    for row, text in zip(sims, texts, strict=True):
        votes[int(np.argmax(row))] += emb_weight
        for j, tag in enumerate(TONE_TAGS):
            votes[j] += min(2, _hits(text, TONE_CUES[tag])) * 0.5
    if not votes.any():
        return ["practical"]
    order = np.argsort(-votes, kind="stable")
    keep = [TONE_TAGS[j] for j in order[:3] if votes[j] >= 0.35 * votes[order[0]]]
    return keep or [TONE_TAGS[order[0]]]


def info_density(texts: Sequence[str]) -> str:
    """low / medium / high from text length and how many numbers and list markers the notes carry."""
    if not texts:
        return "medium"
    from ..schemas.common import count_words

    words = np.mean([count_words(t) for t in texts])
    numbers = np.mean([len(re.findall(r"\d+", t)) + t.count("\n-") + t.count("、") for t in texts])
    score = words / 60 + numbers / 4
    return "low" if score < 0.8 else "high" if score > 2.2 else "medium"


def traits(ids: Sequence[str], texts: Sequence[str], cues: dict[str, tuple[str, ...]],
           skip: set[str]) -> list[Trait]:
    """Traits whose cues appear in at least one note, strongest first; evidence skips sensitive notes."""
    out = []
    for name, words in cues.items():
        evidence = [i for i, t in zip(ids, texts, strict=True) if i not in skip and _hits(t, words)]
        if evidence:
            strength = min(1.0, len(evidence) / max(2.0, 0.3 * len(ids)))
            out.append(Trait(name=name, evidence=evidence[:8], strength=round(strength, 3)))
    return sorted(out, key=lambda t: -t.strength)


def style_profile(texts: Sequence[str], embeddings: np.ndarray, embedder, language: str,
                  pacing: tuple[float, float] | None = None) -> StyleProfile:
    """Tone tags, information density and (for videos) pacing in one StyleProfile."""
    tags = tone_tags(texts, embeddings, embedder, language)
    if pacing is not None and pacing[0] >= 20 and "energetic" not in tags:
        tags = (["energetic"] + tags)[:3]
    return StyleProfile(
        tone_tags=tags, info_density=info_density(texts),
        shots_per_minute=None if pacing is None else round(pacing[0], 2),
        motion=None if pacing is None else round(pacing[1], 3),
    )
