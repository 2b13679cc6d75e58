"""User modeling: cluster a history into interest themes, name them with key phrases, tier them, read the style.

`build_profile` is pure (history in, profile + reusable state out); the Director caches both.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..rules import history_hash
from ..schemas.audience import UserHistory
from ..schemas.profile import Interest, UserProfile
from . import style, visual
from .sensitive import find_sensitive, sensitive_terms
from .text import STOPWORDS, candidate_phrases, contains_term, detect_language
from .topics import TOPICS, en_label, topic_counts, zh_label

MAX_ITEMS = 60          # the reference reads at most 60 recent notes
MAX_CHARS = 700         # ... each cut to 700 characters
EMBED_CHARS = 256       # MiniLM reads ~256 tokens; the head of a note carries its topic
TIERS = ("strong", "medium", "weak")
SENSITIVE_CLUSTER_SHARE = 0.34  # a cluster is sensitive when this share of its notes names a sensitive theme
ASSIGN_MIN_SIM = 0.25   # a new note joins an existing cluster incrementally only if it is at least this close


@dataclass
class Item:
    item_id: str
    text: str
    images: list[str]
    video: str | None
    position: float  # 0 oldest .. 1 newest


@dataclass
class ProfileState:
    """What an incremental update reuses: per-item embeddings, cluster labels and centroids."""

    user_id: str
    item_ids: list[str]
    text_hashes: list[str]
    embeddings: np.ndarray
    labels: list[int]
    centroids: np.ndarray
    reused: int = 0
    embedded: int = 0
    incremental: bool = False
    members: dict[int, list[str]] = field(default_factory=dict)


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def history_items(history: UserHistory) -> list[Item]:
    """Notes or videos as plannable items (the 60 most recent), oldest first."""
    if history.kind == "notes":
        notes = history.notes[-MAX_ITEMS:]
        if all(n.time is not None for n in notes):
            notes = sorted(notes, key=lambda n: n.time)
        raw = [(n.note_idx, f"{n.title}\n{n.content}"[:MAX_CHARS], list(n.image_paths), None) for n in notes]
    else:
        vids = history.videos[-MAX_ITEMS:]
        raw = [(v.vid, v.title or v.vid, [v.cover_path] if v.cover_path else [], v.video_path) for v in vids]
    n = len(raw)
    return [Item(i, t, imgs, vid, (k + 1) / n) for k, (i, t, imgs, vid) in enumerate(raw)]


# --- clustering -----------------------------------------------------------------------------------------------

def cluster_features(texts: list[str], emb: np.ndarray, language: str) -> np.ndarray:
    """Rows to cluster. English: MiniLM embeddings. Chinese: MiniLM is English-centric, so embeddings are blended
    with character 1-2-gram TF-IDF and bilingual topic-lexicon hits (weights 0.25 / 0.25 / 0.5)."""
    if language != "zh":
        return emb
    from sklearn.feature_extraction.text import TfidfVectorizer

    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts).toarray()
    topics = np.array([[min(3, sum(1 for w in TOPICS[t][1] if w in text) + sum(
        1 for w in TOPICS[t][0] if contains_term(text, w))) for t in TOPICS] for text in texts], dtype=np.float32)
    topics /= np.maximum(1e-9, np.linalg.norm(topics, axis=1, keepdims=True))
    return np.hstack([0.5 * emb, 0.5 * chars, np.sqrt(0.5) * topics])


def cluster(features: np.ndarray, max_k: int = 4) -> np.ndarray:
    """Ward clustering with k in 2..4 chosen by cosine silhouette; deterministic."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(features)
    if n < 5:
        return np.zeros(n, dtype=int)
    best, best_score = np.zeros(n, dtype=int), -2.0
    for k in range(2, min(max_k, n - 2) + 1):
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(features)
        # A small penalty per extra cluster: near-ties should not split one interest in two.
        score = silhouette_score(features, labels, metric="cosine") - 0.004 * (k - 2)
        if score > best_score + 1e-9:
            best, best_score = labels, score
    return _relabel(best)


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Number clusters by first appearance so labels do not depend on library internals."""
    mapping: dict[int, int] = {}
    return np.array([mapping.setdefault(int(v), len(mapping)) for v in labels], dtype=int)


def _centroids(emb: np.ndarray, labels: np.ndarray) -> np.ndarray:
    cents = []
    for c in range(int(labels.max()) + 1):
        m = emb[labels == c].mean(axis=0)
        cents.append(m / max(1e-9, np.linalg.norm(m)))
    return np.stack(cents)


_CUE_WORDS = frozenset(w for en, zh, _ in TOPICS.values() for w in (*en, *zh))
_ACTIVITY_NOUNS = frozenset({"yoga", "pilates", "crochet", "calligraphy", "photography", "anime", "skincare", "makeup"})
# -ing words that are not an activity a person would be named by
_NOT_ACTIVITIES = frozenset({"morning", "evening", "nothing", "something", "anything", "everything", "thing",
                             "things", "during", "spring", "string", "ceiling", "feeling", "building", "wedding",
                             "ring", "king", "sibling", "setting", "meaning", "beginning", "ending", "pudding",
                             "clothing", "bring", "being", "having", "getting", "going", "doing", "making",
                             "taking", "using", "trying", "looking", "coming", "saying", "thinking", "amazing",
                             "interesting", "boring", "exciting", "stunning", "charming", "lightning", "awning",
                             "outing", "booking", "timing", "warning"})

# --- naming ---------------------------------------------------------------------------------------------------

_ING = re.compile(r"\b([a-z]{3,}ing)\b")
# How close in meaning (MiniLM cosine to the cluster's centroid) the person's word must be to name the cluster:
# measured on unseen histories, 'sailing' .61, 'knitting' .64 and 'birding' .44 for their notes, while 'reading'
# (tide tables) .23 and 'opening' (a chess opening) .30 only happen to be there; nouns need more ('chess' .61,
# 'club' .47 for the same notes).
ACTIVITY_SIMILARITY = 0.40
NOUN_SIMILARITY = 0.55


def _capitalised_mid_sentence(texts: list[str]) -> set[str]:
    """Words written with a capital anywhere but a sentence start: likely names, never a theme or an object."""
    return {m.lower() for t in texts for m in re.findall(r"(?<![.!?]\s)(?<!^)(?<!\n)\b([A-Z][a-z]+)", t)}


def activity_candidates(texts: list[str], phrases: list[str], language: str) -> tuple[list[str], list[str]]:
    """(-ing activity words, plain nouns) the person used in a cluster's notes that could name it: nouns only
    from its key phrases, and never one capitalised mid-sentence (a name)."""
    if language == "zh":
        return [], []
    low = " ".join(texts).lower()
    names = _capitalised_mid_sentence(texts)
    gerunds = sorted({w for w in _ING.findall(low) if len(w) > 4 and w not in _NOT_ACTIVITIES and not find_sensitive(w)})
    nouns = sorted({w for p in phrases[:5] for w in p.split()
                    if w.isalpha() and len(w) >= 4 and not w.endswith("ing") and w not in STOPWORDS
                    and w not in names and not find_sensitive(w)})
    return gerunds, nouns


def pick_activity(gerunds: list[str], nouns: list[str], vectors: dict, centroid: np.ndarray) -> str:
    """The candidate closest in meaning to the cluster's notes, if close enough (see ACTIVITY_SIMILARITY)."""
    c = centroid / max(float(np.linalg.norm(centroid)), 1e-9)
    for words, floor in ((gerunds, ACTIVITY_SIMILARITY), (nouns, NOUN_SIMILARITY)):
        sims = {w: float(vectors[w] @ c) / max(float(np.linalg.norm(vectors[w])), 1e-9) for w in words}
        best = max(sims, key=lambda w: (sims[w], w), default="")
        if best and sims[best] >= floor:
            return best
    return ""


def phrase_candidates(cluster_texts: list[str], other_texts: list[str], language: str,
                      limit: int = 15) -> dict[str, float]:
    """Class-based TF-IDF scores of the cluster's best candidate phrases (sensitive phrases never qualify)."""
    in_df = Counter(p for t in cluster_texts for p in set(candidate_phrases(t)))
    out_df = Counter(p for t in other_texts for p in set(candidate_phrases(t)))
    min_df = 2 if len(cluster_texts) >= 6 else 1
    n_in, n_out = max(1, len(cluster_texts)), max(1, len(other_texts))
    scored = {}
    for p, df in in_df.items():
        if df < min_df or find_sensitive(p):
            continue
        base = df / n_in - 0.7 * out_df[p] / n_out
        cue = 1.4 if p in _CUE_WORDS else 1.0  # a known interest word beats an incidental one
        # Longer phrases carry more meaning; CJK single bigrams are often fragments.
        scored[p] = cue * base * (1 + 0.5 * (len(p.split()) - 1)) * (1 + 0.2 * (len(p) >= 3 and language == "zh"))
    return {c: scored[c] for c in sorted(scored, key=lambda p: (-scored[p], p))[:limit]}


def rank_phrases(scored: dict[str, float], vectors: dict[str, np.ndarray], centroid: np.ndarray, language: str,
                 top: int = 6) -> list[str]:
    """KeyBERT-style re-ranking by similarity to the cluster centroid; overlapping phrases are skipped."""
    if not scored:
        return []
    w_emb = 0.3 if language == "zh" else 0.65
    hi = max(scored.values()) or 1.0
    final = {c: (1 - w_emb) * v / hi + w_emb * float(vectors[c] @ centroid) for c, v in scored.items()}
    picked: list[str] = []
    for c in sorted(final, key=lambda c: (-final[c], c)):
        if any(c in p or p in c or _overlap(c, p) for p in picked):
            continue
        picked.append(c)
        if len(picked) >= top:
            break
    return picked


def _overlap(a: str, b: str) -> bool:
    """Two phrases that say the same thing: the same words in another order ('borrowed binoculars' / 'binoculars
    borrowed') or a shared run of two words ('means reading tide' / 'reading tide tables'). CJK phrases have no
    spaces and are compared by containment only."""
    wa, wb = a.split(), b.split()
    if len(wa) < 2 or len(wb) < 2:
        return False
    if sorted(wa) == sorted(wb):
        return True
    pairs = set(zip(wb, wb[1:], strict=False))
    return any(pair in pairs for pair in zip(wa, wa[1:], strict=False))


def key_phrases(cluster_texts: list[str], other_texts: list[str], centroid: np.ndarray, embedder,
                language: str, top: int = 6) -> list[str]:
    """Candidate n-grams scored by class TF-IDF, re-ranked by embedding similarity to the cluster centroid."""
    scored = phrase_candidates(cluster_texts, other_texts, language)
    vecs = dict(zip(scored, embedder.embed(list(scored)), strict=True)) if scored else {}
    return rank_phrases(scored, vecs, centroid, language, top)


def theme_name(phrases: list[str], topics: list[str], language: str, titles: set[str], activity: str = "") -> str:
    """A readable theme name from the top key phrases (never a copied note title); `activity` is the person's
    own word for an interest the lexicon does not know (see activity_candidates)."""
    if language == "zh":
        parts = ([zh_label(topics[0])] if topics else []) + phrases
        parts = list(dict.fromkeys(parts))[:2]
        name = "·".join(parts) if parts else "兴趣"
    else:
        # An interest the lexicon knows is named like a person says it: the activity they wrote about ("running",
        # "yoga") or else its topic ("woodworking", not "walnut & table"); an unknown one by its top phrases.
        if topics:
            topic_words = {w for t in topics for w in TOPICS[t][0]}
            activities = [p for p in phrases[:3] if p in topic_words and (p.endswith("ing") or p in _ACTIVITY_NOUNS)]
            parts = activities[:1] or [en_label(topics[0])]
        else:  # an interest the lexicon does not know: the person's own word for it ("sailing", "chess"), if any
            parts = [activity] if activity else phrases[:2] or ["everyday interests"]
        name = " & ".join(parts)
    if name.strip().lower() in titles:
        name = f"{name} ({topics[0]})" if topics else f"{name} notes"
    return name


# --- the profile ----------------------------------------------------------------------------------------------

def _embed_items(items: list[Item], embedder, previous: ProfileState | None) -> tuple[np.ndarray, int, int]:
    """Embeddings of the items, reusing the previous state's vectors for unchanged items."""
    known = {}
    if previous is not None:
        known = {(i, h): previous.embeddings[k]
                 for k, (i, h) in enumerate(zip(previous.item_ids, previous.text_hashes, strict=True))}
    rows: list[np.ndarray | None] = [known.get((it.item_id, _text_hash(it.text))) for it in items]
    missing = [k for k, r in enumerate(rows) if r is None]
    if missing:
        fresh = embedder.embed([items[k].text[:EMBED_CHARS] for k in missing])
        for k, vec in zip(missing, fresh, strict=True):
            rows[k] = vec
    return np.stack(rows).astype(np.float32), len(items) - len(missing), len(missing)


def _labels(items: list[Item], emb: np.ndarray, language: str,
            previous: ProfileState | None) -> tuple[np.ndarray, bool]:
    """Reuse the previous clusters when the history only grew a little; otherwise cluster from scratch."""
    if previous is not None and previous.item_ids:
        old = dict(zip(previous.item_ids, previous.labels, strict=True))
        ids = [it.item_id for it in items]
        new = [k for k, i in enumerate(ids) if i not in old]
        grew = all(i in set(ids) for i in previous.item_ids) and len(new) <= max(1, len(ids) // 4)
        if grew:
            sims = emb[new] @ previous.centroids.T if new else np.zeros((0, len(previous.centroids)))
            if all(row.max() >= ASSIGN_MIN_SIM for row in sims):
                labels = np.array([old.get(i, -1) for i in ids])
                for k, row in zip(new, sims, strict=True):
                    labels[k] = int(np.argmax(row))
                return labels, True
    return cluster(cluster_features([it.text for it in items], emb, language)), False


def build_profile(history: UserHistory, embedder,
                  previous: ProfileState | None = None) -> tuple[UserProfile, ProfileState]:
    """Profile a history; `previous` (same user, fewer items) lets a grown history update incrementally."""
    items = history_items(history)
    texts = [it.text for it in items]
    language = detect_language(texts)
    if previous is not None and previous.user_id != history.user_id:
        previous = None
    emb, reused, embedded = _embed_items(items, embedder, previous)
    labels, incremental = _labels(items, emb, language, previous)
    centroids = _centroids(emb, labels)

    sensitive_items = {it.item_id for it in items if find_sensitive(it.text)}
    interests, excluded, members = _interests(items, emb, labels, centroids, sensitive_items, embedder, language)
    pacing = None
    if history.kind == "videos":
        pacing = visual.video_pacing([it.video for it in items if it.video])
    profile = UserProfile(
        user_id=history.user_id,
        interests=interests,
        style=style.style_profile(texts, emb, embedder, language, pacing),
        visual=_visual_taste(items, history),
        needs=style.traits([it.item_id for it in items], texts, style.NEED_CUES, sensitive_items)[:4],
        decision_tendencies=style.traits([it.item_id for it in items], texts, style.TENDENCY_CUES,
                                         sensitive_items)[:3],
        excluded_sensitive=excluded,
        demographics={k: v for k, v in (("gender", history.gender), ("age", history.age)) if v},
        language=language,
        history_hash=history_hash(history),
    )
    state = ProfileState(history.user_id, [it.item_id for it in items], [_text_hash(t) for t in texts], emb,
                         [int(v) for v in labels], centroids, reused, embedded, incremental, members)
    return profile, state


def _interests(items, emb, labels, centroids, sensitive_items, embedder, language):
    """Name, tier and summarise the clusters; sensitive clusters only add their category to the exclusions."""
    n = len(items)
    titles = {it.text.split("\n")[0].strip().lower() for it in items}
    ranked, excluded, members = [], [], {}
    for c in range(len(centroids)):
        idx = [k for k in range(n) if labels[k] == c]
        members[c] = [items[k].item_id for k in idx]
        flagged = [k for k in idx if items[k].item_id in sensitive_items]
        if len(flagged) >= SENSITIVE_CLUSTER_SHARE * len(idx):
            cats = Counter(cat for k in flagged for cat in find_sensitive(items[k].text))
            excluded.extend(cat for cat, _ in cats.most_common() if cat not in excluded)
            continue
        share = len(idx) / n
        recency = float(np.mean([items[k].position for k in idx]))
        ranked.append((0.8 * share + 0.2 * recency, c, idx, share, recency))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    interests, tiers = [], list(zip(TIERS, ranked, strict=False))
    cleans = {c: [k for k in idx if items[k].item_id not in sensitive_items] or idx for _, (_, c, idx, _, _) in tiers}
    scored = {c: phrase_candidates([items[k].text for k in cleans[c]],
                                   [items[k].text for k in range(n) if labels[k] != c], language) for c in cleans}
    ranked_phrases = {}
    words = {}
    union = list(dict.fromkeys(p for sc in scored.values() for p in sc))
    vectors = dict(zip(union, embedder.embed(union), strict=True)) if union else {}  # one batch for all clusters
    for _, (_, c, _, _, _) in tiers:
        ranked_phrases[c] = rank_phrases(scored[c], vectors, centroids[c], language)
        words[c] = activity_candidates([items[k].text for k in cleans[c]], ranked_phrases[c], language)
    missing = list(dict.fromkeys(w for g, nn in words.values() for w in g + nn if w not in vectors))
    if missing:  # the candidate words of every cluster in one more batch
        vectors.update(zip(missing, embedder.embed(missing), strict=True))
    for tier, (_, c, idx, share, recency) in tiers:
        clean = cleans[c]
        phrases = ranked_phrases[c]
        # a topic names the interest only when several of its notes mention it: one "flask of tea" in a birder's
        # three notes is an aside, not a coffee interest
        topics = [t for t, cnt in topic_counts([items[k].text for k in clean]).most_common(3)
                  if cnt >= max(1 if len(clean) < 3 else 2, 0.3 * len(clean))]
        order = sorted(clean, key=lambda k: -float(emb[k] @ centroids[c]))  # most representative first
        interests.append(Interest(
            tier=tier, theme=theme_name(phrases, topics, language, titles,
                                        pick_activity(*words[c], vectors, centroids[c]) if not topics else ""),
            summary=_summary(len(idx), n, share, recency, phrases, language),
            evidence=[items[k].item_id for k in order], keywords=list(dict.fromkeys(phrases + topics))[:9],
            objects=evidence_nouns([items[k].text for k in clean], phrases, language, topics=topics),
            share=round(share, 3), recency=round(recency, 3),
        ))
    return interests, excluded, members


# A noun phrase the notes introduce with a determiner ("the tent", "a bright headlamp", "the rock plate", "my
# blade grinder"), written in lower case, ready for "Picture {object}." and "Right there with {object}.": its head
# and at most one noun before it. Leading adjectives are dropped ("the full ridge loop" -> "the ridge loop"); a
# phrase that ends in an adjective, a verb or an adverb is no object ("the final", "the light hit"). A word the
# notes only ever capitalise mid-sentence is a name or a place ("Pine Hollow"), never part of one; a word the person
# also writes in lower case is her common noun ("the ridge trail" beside the race "Cedar Ridge"). People, body
# parts, care settings and bland words are left out.
_DETERMINER = re.compile(r"(?:^|(?<=[\s(\"“]))(?:[Tt]he|[Aa]n?|[Mm]y|[Oo]ur|[Yy]our|[Tt]his|[Tt]hat|[Hh]is|[Hh]er"
                         r"|[Tt]heir|[Ss]ome|[Nn]ew|[Oo]ld)\s+")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d\S*|[^\sA-Za-z\d]")
_NOT_OBJECTS = frozenset("""
day days week weeks time times thing things way ways lot bit one ones people person water morning evening night
year years month months moment place part kind sort end start side best first last next same other whole little
big new old few most more sister brother mum mom dad father mother friend friends boyfriend girlfriend wife husband
partner kids kid son daughter baby family parents grandma grandpa neighbour neighbor boss colleague team guy guys
difference hard easy knee knees back feet foot legs leg hands hand arms arm shoulders shoulder body face hair head
heart skin neck stomach chest quads calves hips toes breath cheeks eyes nose ears fingers wrists ankles
coach therapist doctor doctors nurse dentist physio physiotherapist counsellor counselor psychiatrist gp surgeon
clinic hospital pharmacy surgery ward rehab meds pills prescription appointment diagnosis therapy
counselling counseling treatment checkup check-up follow-up scan symptoms
rule rules season goal goals plan plans idea reason problem point result change mood vibe vibes stuff rest level
amount issue question answer truth fact world life list number numbers version couple pair half total bunch mix
view experience attempt process progress session sessions lesson lessons round rounds effort efforts group pace
checklist report review update recap disaster mistake win loss cast
""".split())
# Adjectives and participles that open or end a noun group in notes; the suffix rule below catches the rest.
_ADJECTIVES = frozenset("""
full final whole entire last first next early late new old young big small tiny huge little large long short tall
high low deep wide narrow steep flat bright dark light heavy hot cold warm cool wet dry fresh clean dirty quick slow
fast easy hard soft loud quiet calm gentle rough smooth sharp thick thin simple plain fancy local public private
favourite favorite usual regular same other own real true main perfect nice good great best better bad worse worst
lovely pretty beautiful amazing awesome incredible cute sweet bitter sour salty spicy juicy nutty fruity silky
creamy crispy tasty rich strong weak muddy rainy sunny windy cloudy snowy icy rocky sandy dusty foggy misty frosty
stormy chilly cosy cozy comfy sturdy handy chunky funky dreamy sleepy noisy messy shiny bouncy lazy busy happy
sad tired sore proud glad ready single double triple extra whole half black white red green blue yellow grey gray
brown pink purple orange golden silver wild free open closed empty proper decent solid tough weird strange odd
special classic modern vintage cheap expensive pricey basic daily weekly monthly yearly annual lonely friendly
ugly silly jangly leafy grassy hilly woody earthy steamy soggy sunlit fine total only certain various several
reflective technical magical mental physical emotional spare entire recent previous current massive extra mini
different beige cyan magenta teal east west north south second third fourth plastic frozen broken hidden fallen
wooden woven handmade homemade
""".split())
_ADJ_SUFFIX = re.compile(r"(?:ful|ous|ive|able|ible|less|ish|est|ly|ed|ical|ary)$")
_ADVERBS = frozenset("""
today tonight yesterday tomorrow again too now then still already yet ever never always once twice here there home
away ahead overhead outside inside upstairs downstairs downtown uptown nearby together alone instead anyway off
though although
""".split())
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_DETERMINER_WORDS = frozenset("the a an my our your his her their its this that these those every me us them him it"
                              .split())


def _names_only_capitalised(texts: list[str]) -> set[str]:
    """Words the notes capitalise mid-sentence and never write in lower case: names, handles' words, places."""
    lower = {w for t in texts for w in re.findall(r"\b[a-z][a-z-]+\b", t)}
    return {w for w in _capitalised_mid_sentence(texts) if w not in lower}


def _adjective(word: str) -> bool:
    return word in _ADJECTIVES or bool(_ADJ_SUFFIX.search(word)) and len(word) > 4


def _noun_group(tokens: list[str]) -> tuple[list[str], bool]:
    """The lower-case nouns after a determiner: leading adjectives dropped, ending where the group ends (a stop
    word, punctuation, a capital or a digit); empty if it is no plain noun or two-noun compound: its last word an
    adjective, verb or adverb ("the final", "the tarp held"), a longer headline stack ("my trail running pack
    checklist"). A pair followed by a preposition is flagged: its second word may be a verb ("the train rolls
    through") as well as a noun ("the ridge trail at dawn")."""
    words: list[str] = []
    skipped = False
    k = 0
    for k, tok in enumerate(tokens[:6]):
        if not _WORD.fullmatch(tok) or tok in STOPWORDS and not (not words and tok in _ADJECTIVES):
            break
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        if not words and _adjective(tok) and _WORD.fullmatch(nxt) and nxt not in STOPWORDS:
            skipped = True
            continue  # "the full ridge loop", "a bright headlamp": the adjective is not the object
        if (words or skipped) and (nxt in _DETERMINER_WORDS or nxt in ("like", "into", "onto")):
            break  # "the light hit the peaks", "the market taste like ...": a verb ends the group
        words.append(tok)
    else:
        k = len(tokens[:6])
    after = tokens[k] if k < len(tokens) else ""
    while words and (_adjective(words[-1]) or words[-1] in _ADVERBS or words[-1] in _VERBS
                     or words[-1].endswith("ing") or words[-1].endswith("ed")):
        words.pop()  # "the final" / "the rock plate saved" / "the forest today"
        after = "verb"
    if len(words) > 2:
        return [], False
    if len(words) == 2 and "-" in words[0]:
        words = words[1:]  # "the last-second clutch", "the hand-drawn film": a hyphenated modifier is descriptive
    return words, len(words) == 2 and after in _PREPOSITIONS


_WORD = re.compile(r"[a-z][a-z-]*")
_PREPOSITIONS = frozenset("in on at to through into onto over under for from by about across along around past "
                          "toward towards up down off out after before behind between".split())
_VERBS = frozenset("""
held hit ran sat saw got took made felt kept left brought bought caught taught thought stood told won lost threw
drove wore broke fell grew knew rode wrote began came gave ate drank sang swam spent sent built put set cut let
spread makes smells tastes looks feels goes gets says keeps works find finds seems seem stung hurt burnt
slept woke swung stuck sank shone lit led fed bled met paid heard meant dug hung flew froze chose rose shook
forgot tore bit hid slid spun split quit shut cost beat bent lent crept wept swept leapt
""".split())


def _candidates(text: str) -> list[tuple[tuple[str, ...], bool]]:
    out = []
    for m in _DETERMINER.finditer(text):
        group, unsure = _noun_group(_TOKEN.findall(text[m.end():m.end() + 80]))
        if group:
            out.append((tuple(group), unsure))
    return out


def evidence_nouns(texts: list[str], phrases: list[str], language: str, limit: int = 6,
                   topics: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Copy-ready concrete noun phrases from a theme's notes ('the ridge trail', 'the headlamp'; Chinese: lexicon
    words such as 帐篷), most characteristic first: a phrase the person wrote in more notes, whose head the topic
    lexicon knows, or a two-word compound ranks above a bare, incidental head. A phrase said once qualifies only as
    a compound or with a head from the theme's key phrases or the lexicon."""
    if language == "zh":  # nouns the copy lexicon knows (TOPICS cue words include verbs such as 出炉)
        from .copy.lexicon import ZH

        known = {w for forms in ZH.values() for w in forms.objects if len(w) >= 2}
        joined = "\n".join(texts)
        found = [p for p in phrases if p in known] + sorted(
            (w for w in known if joined.count(w) >= 2), key=lambda w: -joined.count(w))
        return [w for w in dict.fromkeys(found) if not find_sensitive(w)][:limit]
    phrase_words = {w for p in phrases for w in p.lower().split()}
    lexicon = {w for t in topics for cue in TOPICS.get(t, ((),))[0] for w in cue.split()}  # the topic's cue words
    names = _names_only_capitalised(texts)
    titled: set[str] = set()     # heads a note's title names ("Headlamp runs before work"): what the note is about
    sure: set[tuple[str, ...]] = set()  # phrases seen at least once where no verb could have ended them
    notes: Counter = Counter()   # in how many notes a phrase appears
    heads: Counter = Counter()   # ... and its head noun, as a phrase's head
    first: dict[tuple[str, ...], int] = {}
    for k, t in enumerate(texts):
        found = _candidates(t)
        groups = {g for g, _ in found}
        if "\n" in t:  # a note is "title\ncontent"
            titled.update(w for w in re.findall(r"[a-z]+", t.split("\n")[0].lower()) if w not in STOPWORDS)
        notes.update(groups)
        heads.update({g[-1] for g in groups})
        for g in groups:
            first.setdefault(g, k)
        sure.update(g for g, flag in found if not flag)
    scored: dict[str, tuple[float, int]] = {}
    for group, n in notes.items():
        seen_first = first[group]
        head = group[-1]
        if (any(w in _NOT_OBJECTS or w in names or w in STOPWORDS or find_sensitive(w) for w in group)
                or find_sensitive(" ".join(group)) or len(head) < 3):
            continue
        if group not in sure and heads[head] - notes[group] < 1 and head not in lexicon:
            continue  # "the train rolls through": 'rolls' is a noun nowhere else in the notes
        if len(group) == 2 and (group[0] == head or group[0].endswith("ing") and group[0] not in lexicon):
            group = (head,)  # "the amazing view" is "the view"; "the running pack" keeps its activity
        known = head in lexicon or head in phrase_words or any(w in lexicon for w in group)
        if len(group) == 1 and heads[head] < 2 and not known and head not in titled:
            continue  # a bare head said once in passing is incidental ("the room", "the mileage")
        score = (heads[head] + n + (1.0 if known else 0.0) + (0.75 if len(group) == 2 else 0.0)
                 + (1.0 if head in titled else 0.0) + (0.5 if len(group) == 2 and group[0] in titled else 0.0))
        phrase = "the " + " ".join(group)
        if score > scored.get(phrase, (0.0, 0))[0]:
            scored[phrase] = (score, seen_first)
    # one phrase per head, the compound before the bare head: "the trail" adds nothing beside "the ridge trail"
    best: dict[str, str] = {}
    for p in sorted(scored, key=lambda p: (len(p.split()) == 3, scored[p][0]), reverse=True):
        best.setdefault(p.split()[-1], p)
    ranked = sorted(best, key=lambda h: (-max(scored[q][0] for q in scored if q.split()[-1] == h),
                                         scored[best[h]][1], best[h]))
    return [best[h] for h in ranked][:limit]


def _summary(count, total, share, recency, phrases, language) -> str:
    when = "recent" if recency >= 0.55 else "earlier"
    if language == "zh":
        return f"{total}条中有{count}条（{share:.0%}），{'近期' if when == 'recent' else '早期'}为主；关键词：{'、'.join(phrases[:4])}"
    return f"{count} of {total} items ({share:.0%}), mostly {when}; about {', '.join(phrases[:4])}."


def _visual_taste(items: list[Item], history: UserHistory):
    arrays = []
    for it in items:
        for p in it.images[:2]:
            t = visual.load_thumb(p)
            if t is not None:
                arrays.append(t)
        if history.kind == "videos" and it.video and len(arrays) < 40:
            arrays.extend(visual.sample_video_frames(it.video, count=2))
        if len(arrays) >= 40:
            break
    return visual.taste_from_arrays(arrays)


def profile_topics(interest: Interest) -> dict[str, float]:
    """Topic weights for an interest from its keywords and theme (used by matching)."""
    text = " ".join([interest.theme, *interest.keywords])
    out = {t: 1.0 for t in interest.keywords if t in TOPICS}
    for t, cnt in topic_counts([text]).items():
        out.setdefault(t, min(1.0, 0.6 + 0.2 * cnt))
    return out


def leaks(text: str, terms: list[str]) -> list[str]:
    """Which of `terms` appear in `text` (used to keep excluded themes out of ad copy)."""
    return [t for t in terms if t and contains_term(text, t)]


__all__ = ["ProfileState", "build_profile", "history_hash", "history_items", "key_phrases", "profile_topics",
           "sensitive_terms"]
