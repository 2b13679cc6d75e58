"""The interest lexicon: each topic in the grammatical forms ad copy needs, in English and Chinese.

A template never pastes a theme name into a slot. It asks for a form: `topic` (a noun phrase that reads after
"love" or "for": "trail running"), `moment` (one possessive, singular occasion: "your Sunday long run"),
`people` (a plural: "runners"), `place` (a prepositional phrase: "on the trail"), `verb` (a base-form verb
phrase: "hit the trail"). Concrete nouns come from the person's own notes, but only words this lexicon already
knows as objects of the topic, each with a ready phrase, so a handle, a name or a place never reaches the copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ...schemas.profile import Interest
from ..sensitive import find_sensitive
from ..topics import TOPICS


@dataclass(frozen=True)
class Forms:
    topic: str
    moment: str
    people: str
    place: str
    verb: str
    objects: dict[str, str] = field(default_factory=dict)  # cue word in the notes -> a noun phrase for copy


EN: dict[str, Forms] = {
    "woodworking": Forms("woodworking", "your next build", "woodworkers", "in the workshop", "build something",
                         {"walnut": "a walnut slab", "oak": "an oak board", "chisel": "a sharp chisel",
                          "workbench": "the workbench", "sawdust": "the sawdust", "dovetail": "a dovetail joint",
                          "workshop": "the workshop", "lathe": "the lathe", "joinery": "clean joinery"}),
    "diy tools": Forms("DIY", "your next fix", "makers", "around the house", "fix it yourself",
                       {"shelf": "a new shelf", "drill": "the drill", "toolbox": "the toolbox",
                        "renovation": "the renovation"}),
    "skincare": Forms("skincare", "your evening routine", "skincare fans", "at the bathroom mirror",
                      "care for your skin",
                      {"serum": "a few drops of serum", "moisturizer": "the moisturizer",
                       "moisturiser": "the moisturiser", "cleanser": "the cleanser", "sunscreen": "the sunscreen",
                       "routine": "the routine", "cream": "the night cream"}),
    "makeup": Forms("makeup", "your morning look", "makeup lovers", "at the mirror", "finish the look",
                    {"lipstick": "the lipstick", "palette": "the palette", "blush": "a touch of blush"}),
    "fitness": Forms("training", "your next workout", "people who train", "on the move", "get moving",
                     {"trail": "the trail", "running": "the morning run", "workout": "the workout",
                      "gym": "the gym bag", "yoga": "the yoga mat", "marathon": "race day",
                      "cycling": "the bike ride", "training": "the training plan", "tempo run": "the tempo run"}),
    "cooking": Forms("home cooking", "your next dinner", "home cooks", "in the kitchen", "cook something good",
                     {"sourdough": "a sourdough loaf", "bread": "fresh bread", "pasta": "a bowl of pasta",
                      "oven": "the oven", "kitchen": "the kitchen", "baking": "the baking tray",
                      "meal prep": "the meal prep", "noodles": "a bowl of noodles", "recipe": "a new recipe"}),
    "coffee tea": Forms("coffee", "your first cup", "coffee lovers", "at the counter", "slow down",
                        {"espresso": "the espresso", "latte": "a latte", "pour over": "the pour-over",
                         "coffee beans": "fresh beans", "matcha": "the matcha", "tea": "a pot of tea",
                         "coffee": "the morning coffee", "cafe": "the corner cafe"}),
    "travel": Forms("travel", "your next trip", "travellers", "on the road", "go somewhere new",
                    {"backpack": "the backpack", "ferry": "the ferry", "flight": "the flight",
                     "hotel": "the hotel room", "road trip": "the road trip", "itinerary": "the itinerary",
                     "beach": "the beach", "trip": "the trip"}),
    "outdoor": Forms("the outdoors", "your next hike", "hikers", "out on the trail", "head outside",
                     {"tent": "the tent", "camping": "the campsite", "trail": "the trail", "summit": "the summit",
                      "hiking": "the hike", "forest": "the forest path", "kayak": "the kayak"}),
    "gaming": Forms("gaming", "your next match", "gamers", "at the desk", "play one more round",
                    {"controller": "the controller", "console": "the console", "ranked": "a ranked match",
                     "squad": "the squad", "speedrun": "the speedrun", "boss fight": "the boss fight"}),
    "photography": Forms("photography", "your next shot", "photographers", "behind the lens", "shoot",
                         {"camera": "the camera", "lens": "the lens", "portrait": "the portrait",
                          "photo": "the photo", "composition": "the composition"}),
    "tech": Forms("tech", "your daily setup", "tech fans", "at the desk", "get set up",
                  {"laptop": "the laptop", "headphones": "the headphones", "phone": "the phone",
                   "setup": "the desk setup", "battery": "the battery", "charger": "the charger"}),
    "home": Forms("home life", "your quiet evening", "homebodies", "at home", "settle in",
                  {"living room": "the living room", "decor": "the decor", "bedroom": "the bedroom",
                   "storage": "the shelves", "apartment": "the apartment"}),
    "fashion": Forms("style", "your next outfit", "dressers", "out on the street", "get dressed",
                     {"jacket": "the jacket", "sneakers": "the sneakers", "wardrobe": "the wardrobe",
                      "outfit": "the outfit", "dress": "the dress"}),
    "crafts": Forms("handmade crafts", "your next project", "makers", "at the craft table", "make something",
                    {"yarn": "the yarn", "crochet": "the crochet hook", "knitting": "the knitting",
                     "embroidery": "the embroidery hoop", "sewing": "the sewing kit"}),
    "gardening": Forms("gardening", "your weekend in the garden", "gardeners", "in the garden",
                       "garden",
                       {"garden": "the garden", "allotment": "the allotment", "seedlings": "the seedlings",
                        "compost": "the compost heap", "houseplants": "the houseplants", "tomatoes": "the tomatoes",
                        "roses": "the roses", "vegetable patch": "the vegetable patch"}),
    "music": Forms("music", "your next playlist", "music lovers", "with the volume up", "press play",
                   {"guitar": "the guitar", "piano": "the piano", "vinyl": "a vinyl record",
                    "playlist": "the playlist", "album": "a new album", "concert": "the concert"}),
    "pets": Forms("pet life", "your morning walk", "pet owners", "at home with your pet", "play",
                  {"dog": "the dog", "cat": "the cat", "puppy": "the puppy", "kitten": "the kitten"}),
    "study work": Forms("deep work", "your study session", "students", "at your desk", "focus",
                        {"notes": "the notes", "desk": "the desk", "planner": "the planner", "books": "the books",
                         "reading": "the reading list"}),
    "mobility": Forms("getting around", "your daily commute", "commuters", "on the way", "get there",
                      {"commute": "the commute", "car": "the car", "ride": "the ride"}),
    "birding": Forms("birding", "your next dawn outing", "birders", "out in the field", "get out at first light",
                     {"heron": "the heron", "owl": "the owl", "kingfisher": "the kingfisher", "redstart": "the redstart",
                      "woodpeckers": "the woodpeckers", "estuary": "the estuary", "marsh": "the marsh",
                      "binoculars": "the binoculars", "reservoir": "the reservoir", "hide": "the bird hide"}),
    "stargazing": Forms("stargazing", "your next clear night", "stargazers", "under the night sky", "look up",
                        {"telescope": "the telescope", "saturn": "Saturn's rings", "milky way": "the Milky Way",
                         "moon": "the moon", "meteor": "the meteor shower", "galaxy": "a distant galaxy"}),
    "streaming": Forms("movie nights", "your next movie night", "movie fans", "on the sofa", "press play",
                       {"movie": "the movie", "series": "the series", "documentary": "the documentary",
                        "anime": "the anime", "watchlist": "the watchlist"}),
}

ZH: dict[str, Forms] = {
    "woodworking": Forms("木工", "下一件木作", "木工爱好者", "在工作台前", "动手做", {"胡桃木": "胡桃木", "榫卯": "榫卯"}),
    "diy tools": Forms("动手改造", "下一次改造", "动手派", "在家里", "自己动手", {"置物架": "置物架"}),
    "skincare": Forms("护肤", "晚间护肤", "护肤党", "在镜子前", "好好护肤", {"精华": "精华", "面霜": "面霜"}),
    "makeup": Forms("彩妆", "今天的妆容", "彩妆控", "在镜子前", "画个妆", {"口红": "口红"}),
    "fitness": Forms("运动", "下一次训练", "跑者", "在路上", "动起来", {"跑步": "晨跑", "瑜伽": "瑜伽垫"}),
    "cooking": Forms("下厨", "今晚的餐桌", "爱下厨的人", "在厨房", "做顿好饭",
                     {"面包": "面包", "蛋糕": "蛋糕", "烘焙": "烘焙", "吐司": "吐司", "烤箱": "烤箱"}),
    "coffee tea": Forms("咖啡", "第一杯咖啡", "咖啡控", "在吧台前", "慢下来", {"手冲": "手冲", "拿铁": "拿铁"}),
    "travel": Forms("旅行", "下一次旅行", "旅行者", "在路上", "出发", {"博物馆": "博物馆", "古镇": "古镇"}),
    "outdoor": Forms("户外", "下一次徒步", "户外爱好者", "在山野", "出门走走", {"露营": "露营", "帐篷": "帐篷"}),
    "gaming": Forms("游戏", "下一局", "玩家", "在桌前", "再来一局", {"手柄": "手柄"}),
    "photography": Forms("摄影", "下一张照片", "摄影爱好者", "在镜头后", "拍下来", {"胶片": "胶片", "街景": "街景"}),
    "tech": Forms("数码", "每天的装备", "数码控", "在桌前", "用起来", {"耳机": "耳机"}),
    "home": Forms("居家", "安静的夜晚", "居家派", "在家", "窝在家", {"收纳": "收纳"}),
    "fashion": Forms("穿搭", "明天的穿搭", "穿搭控", "在街头", "出门", {"外套": "外套"}),
    "crafts": Forms("手作", "下一件手作", "手作人", "在桌前", "做点什么", {"毛线": "毛线"}),
    "gardening": Forms("养花", "周末的花园时光", "爱养花的人", "在阳台上", "种点什么",
                       {"多肉": "多肉", "月季": "月季", "薄荷": "薄荷", "盆栽": "盆栽"}),
    "music": Forms("音乐", "下一张歌单", "乐迷", "音量调高", "按下播放", {"吉他": "吉他"}),
    "pets": Forms("养宠", "早上的遛弯", "铲屎官", "和毛孩子一起", "陪它玩", {"猫咪": "猫咪", "狗狗": "狗狗"}),
    "study work": Forms("学习", "下一次专注", "学习党", "在书桌前", "专注", {"笔记": "笔记"}),
    "mobility": Forms("出行", "每天的通勤", "通勤族", "在路上", "出发", {"通勤": "通勤"}),
    "birding": Forms("观鸟", "下一次清晨观鸟", "观鸟爱好者", "在野外", "出门看鸟", {"苍鹭": "苍鹭", "翠鸟": "翠鸟", "湿地": "湿地"}),
    "stargazing": Forms("观星", "下一个晴朗的夜晚", "观星爱好者", "在星空下", "抬头看", {"银河": "银河", "望远镜": "望远镜"}),
    "streaming": Forms("追剧", "下一个电影夜", "影迷", "在沙发上", "按下播放", {"纪录片": "纪录片"}),
}

# Finer forms for a topic when the person's own words name the activity (yoga is not running).
SUBTOPICS_EN: dict[str, list[tuple[tuple[str, ...], Forms]]] = {
    "fitness": [
        (("run", "running", "runs", "trail", "marathon", "tempo run", "runners", "pace"),
         Forms("running", "your next run", "runners", "on the run", "lace up", EN["fitness"].objects)),
        (("yoga", "pilates", "stretch", "breathing", "mobility routine"),
         Forms("yoga", "your morning flow", "yogis", "on the mat", "breathe", EN["fitness"].objects)),
        (("cycling", "ride"), Forms("cycling", "your next ride", "cyclists", "on the bike", "ride",
                                    EN["fitness"].objects)),
    ],
}
SUBTOPICS_ZH: dict[str, list[tuple[tuple[str, ...], Forms]]] = {
    "fitness": [
        (("跑步", "马拉松", "跑"), Forms("跑步", "下一次长跑", "跑者", "在路上", "出发", ZH["fitness"].objects)),
        (("瑜伽", "普拉提"), Forms("瑜伽", "清晨的瑜伽", "瑜伽爱好者", "在垫子上", "呼吸", ZH["fitness"].objects)),
    ],
}

PRODUCT_EN = Forms("everyday life", "your day", "people", "every day", "get going")
PRODUCT_ZH = Forms("日常", "每一天", "每个人", "在日常里", "开始")


_ZH_WORDS = frozenset(w for _, zh, _ in TOPICS.values() for w in zh) | frozenset(
    f.topic for f in ZH.values())


def interest_topics(interest: Interest | None) -> list[str]:
    """The lexicon topics an interest touches, strongest first (its keywords, then its theme and summary)."""
    if interest is None:
        return []
    from ..profile import profile_topics

    weights = profile_topics(interest)
    return sorted(weights, key=lambda t: -weights[t])


# -ing words that are not activities a person would say they love
_NOT_ACTIVITIES = frozenset("""morning evening thing nothing something anything everything spring string ring king during
wedding ceiling building feeling meeting ending setting opening being bring sing swing wing sibling ping thinking
amazing interesting boring sling""".split())
_GERUND = re.compile(r"^[a-z]{4,}ing$")
_CJK_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,4}$")


def own_activity(interest: Interest | None, language: str, blocked: Sequence[str] = ()) -> str:
    """The person's own name for the activity, when one of the theme's leading key phrases is one
    ('backpacking', 'birdwatching'; Chinese: the theme's first word when the lexicon knows it, such as 书法)."""
    if interest is None:
        return ""
    for kw in [interest.theme, *interest.keywords[:4]]:  # the theme may be the activity word itself ("birding")
        kw = kw.strip()
        ok = (_CJK_WORD.match(kw) and kw in _ZH_WORDS) if language == "zh" else (
            _GERUND.match(kw) and kw not in _NOT_ACTIVITIES)
        if ok and not find_sensitive(kw) and not any(b and b.lower() in kw for b in blocked):
            return kw
    return ""


def forms_for(interest: Interest | None, language: str, product_topics: list[str] = (),
              blocked: Sequence[str] = ()) -> tuple[str, Forms]:
    """(topic id, forms) for an interest: the lexicon topic it is mostly about (a topic the product shares only
    when the interest is as much about it as about its main topic), with the person's own activity word as the
    topic noun where there is one; a theme the lexicon does not know gets its activity word alone; product-only
    forms otherwise."""
    weights = profile_topics_of(interest)
    topics = sorted(weights, key=lambda t: -weights[t])
    table = ZH if language == "zh" else EN
    top = weights[topics[0]] if topics else 0.0
    shared = [t for t in topics if t in product_topics and weights[t] >= top - 1e-9]
    subs = SUBTOPICS_ZH if language == "zh" else SUBTOPICS_EN
    words = " ".join([*(interest.keywords if interest else []), interest.theme if interest else ""]).lower()
    own = own_activity(interest, language, blocked)
    if own and interest is not None and interest.theme == own and not any(own in _topic_cues(t) for t in topics):
        # the interest is named by the person's own word, which no lexicon topic knows ('sailing'): a cue word
        # elsewhere in the notes ('reading tide tables') must not frame it as another topic ('at your desk')
        return f"own:{own}", Forms(own, "", "", "", "")
    for t in shared + topics:
        for cues, forms in subs.get(t, []):
            if any(c in words.replace("&", " ").split() or (len(c) > 3 and c in words) for c in cues):
                return t, forms
        if t in table:
            forms = table[t]
            if own and own != forms.topic:
                forms = replace(forms, topic=own)
            return t, forms
    if not own and interest is not None and language != "zh" and re.fullmatch(r"[a-z]{4,}", interest.theme) \
            and not find_sensitive(interest.theme) and not any(b and b.lower() in interest.theme for b in blocked):
        own = interest.theme  # the profile named it by the person's own noun for it ('pottery', 'chess')
    if own:  # a theme the lexicon does not know: the activity word only; other forms stay empty
        return f"own:{own}", Forms(own, "", "", "", "")
    return "", PRODUCT_ZH if language == "zh" else PRODUCT_EN


def _topic_cues(topic: str) -> tuple[str, ...]:
    return TOPICS[topic][0] + TOPICS[topic][1] if topic in TOPICS else ()


def profile_topics_of(interest: Interest | None) -> dict[str, float]:
    if interest is None:
        return {}
    from ..profile import profile_topics

    return profile_topics(interest)


def personal_objects(interest: Interest | None, topic: str, language: str, blocked: Sequence[str] = ()) -> list[str]:
    """Concrete noun phrases from the person's notes: the noun phrases the profile found in the theme's own notes
    (Interest.objects, most characteristic first), then the cue words the lexicon knows for the interest's topics
    (Chinese: the lexicon's words first)."""
    if interest is None or not topic:
        return []
    table = ZH if language == "zh" else EN
    words = [k.lower() for k in interest.keywords] + interest.summary.lower().split()
    # English: the person's own phrases ('the ridge trail', ranked by the profile) before the lexicon's ready ones
    picked = [] if language == "zh" else list(interest.objects)
    # an interest in the person's own word ('own:sailing') takes its nouns from its own notes only
    for t in [topic] if topic.startswith("own:") else [topic, *profile_topics_of(interest)]:
        for cue, phrase in (table[t].objects if t in table else {}).items():
            if any(cue == w or cue in w.split() for w in words) or (language == "zh" and any(cue in w for w in words)):
                picked.append(phrase)
    picked += list(interest.objects)  # already there for English: dict.fromkeys keeps the first
    return [p for p in dict.fromkeys(picked)
            if not find_sensitive(p) and not any(b and b.lower() in p.lower() for b in blocked)]


def human_theme(interest: Interest | None, language: str = "en") -> str:
    """A theme name as a person would say it ("woodworking", "gaming"); the raw theme when no topic fits."""
    topic, forms = forms_for(interest, language)
    if topic:
        return forms.topic
    return interest.theme if interest else ""


def topic_label(topic: str, language: str) -> str:
    if language == "zh":
        return ZH[topic].topic if topic in ZH else TOPICS.get(topic, ("", "", topic))[2]
    return EN[topic].topic if topic in EN else topic
