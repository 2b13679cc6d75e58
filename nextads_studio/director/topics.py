"""A small bilingual topic lexicon: it grounds matching rules and lets Chinese histories meet English products.

MiniLM is English-centric, so keyword topics carry the cross-language signal; embeddings do the rest.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable

from .text import contains_term

# topic -> (English cue words, Chinese cue words, Chinese label)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # not bare "wood": "a beech wood loop" is a walk in the woods
    "woodworking": (("woodworking", "woodwork", "woodturning", "wood carving", "woodcarving", "walnut", "oak",
                     "chisel", "plane", "lathe", "workbench", "sawdust", "joinery", "dovetail", "sanding", "workshop",
                     "carpentry", "timber", "furniture build", "wood glue", "hardwood", "plywood"),
                    ("木工", "木头", "胡桃木", "榫卯", "刨子", "凿子", "车床", "工作台", "打磨", "木作"), "木工"),
    "diy tools": (("drill", "screwdriver", "power tool", "toolbox", "cordless", "renovation", "shelving",
                   "hardware", "diy", "home improvement"),
                  ("电钻", "螺丝刀", "工具箱", "维修", "装修", "改造", "五金", "置物架"), "工具"),
    "skincare": (("skincare", "skin care", "serum", "moisturizer", "moisturiser", "cleanser", "sunscreen", "spf",
                  "toner", "retinol", "hyaluronic", "niacinamide", "glow", "hydration", "routine", "pores", "cream"),
                 ("护肤", "精华", "面霜", "保湿", "防晒", "洁面", "爽肤水", "水乳", "毛孔", "敏感肌", "补水", "美白",
                  "抗老", "面膜"), "护肤"),
    "makeup": (("makeup", "lipstick", "foundation", "blush", "eyeliner", "mascara", "palette", "concealer"),
               ("化妆", "彩妆", "口红", "粉底", "腮红", "眼线", "睫毛膏", "眼影", "妆容"), "彩妆"),
    "fitness": (("workout", "gym", "running", "run", "marathon", "training", "cardio", "yoga", "pilates",
                 "strength", "sweat", "fitness", "steps", "heart rate", "cycling", "hiit", "runners",
                 "tempo run", "sprints", "stretch", "mobility routine", "rock climbing", "climbing gym", "bouldering",
                 "hangboard"),
                ("健身", "跑步", "马拉松", "训练", "瑜伽", "普拉提", "撸铁", "燃脂", "运动", "骑行"), "运动健身"),
    "cooking": (("recipe", "cooking", "baking", "bake", "baked", "cookies", "cake", "loaf", "pastry", "dough", "frosting", "kitchen", "dinner", "meal prep", "bread", "sourdough", "pasta",
                 "noodles", "oven", "flavour", "flavor", "ingredients", "chef"),
                ("做饭", "食谱", "烘焙", "厨房", "晚餐", "便当", "面包", "菜谱", "美食", "下厨", "烤箱", "蛋糕", "酵母", "酵种",
                 "黄油", "饼干", "吐司", "甜点", "面团", "出炉", "烤", "小吃", "好吃"), "美食烹饪"),
    "coffee tea": (("coffee", "coffees", "espresso", "latte", "pour over", "pour-over", "coffee beans", "brew",
                    "cold brew", "cortado", "cappuccino", "flat white", "roastery", "light roast", "dark roast",
                    "burr grinder", "hand grinder", "cupping", "barista", "tea", "matcha", "cafe", "café"),
                   ("咖啡", "拿铁", "手冲", "奶茶", "茶饮", "抹茶", "喝茶", "咖啡馆"), "咖啡茶饮"),
    "travel": (("travel", "trip", "flight", "hotel", "ferry", "backpack", "vlog", "islands", "old town", "itinerary", "beach", "city guide", "backpacking", "airport",
                "road trip", "vacation", "explore"),
               ("旅行", "旅游", "攻略", "酒店", "机票", "出游", "海边", "自驾", "民宿", "打卡", "景点", "一日游", "路线",
                "博物馆", "展览", "夜游", "青旅", "早市", "古镇", "街道", "漫步", "逛"), "旅行"),
    "outdoor": (("hiking", "camping", "trail", "mountain", "tent", "outdoor", "summit", "forest", "kayak",
                 "woods", "woodland"),
                ("徒步", "露营", "爬山", "登山", "户外", "帐篷", "山野"), "户外"),
    "gaming": (("gaming", "game", "gamer", "console", "controller", "fps", "rpg", "esports", "playthrough",
                "speedrun", "boss fight", "ranked", "clutch", "squad"),
               ("游戏", "电竞", "手柄", "主机", "开黑", "通关"), "游戏"),
    "photography": (("photography", "camera", "lens", "photo", "shoot", "film photography", "portrait",
                     "editing", "lightroom", "composition"),
                    ("摄影", "相机", "镜头", "拍照", "修图", "构图", "胶片", "拍", "光线", "过曝", "街景"), "摄影"),
    "tech": (("tech", "gadget", "phone", "laptop", "tablet", "headphones", "earbuds", "smartwatch", "setup",
              "battery", "charger", "app", "screen", "speaker", "smart home"),
             ("数码", "手机", "电脑", "平板", "耳机", "手表", "充电", "屏幕", "音箱", "智能"), "数码科技"),
    "home": (("home", "apartment", "decor", "interior", "organizing", "cleaning", "declutter", "cozy", "living room",
              "bedroom", "storage"),
             ("家居", "收纳", "装饰", "软装", "客厅", "卧室", "打扫", "整理", "租房"), "家居生活"),
    "fashion": (("outfit", "fashion", "style", "wardrobe", "sneakers", "dress", "jacket", "ootd", "streetwear"),
                ("穿搭", "时尚", "衣服", "鞋子", "外套", "连衣裙", "搭配"), "穿搭"),
    "crafts": (("crochet", "knitting", "yarn", "handmade", "sewing", "embroidery", "pattern", "craft", "stitch",
                "calligraphy"),
               ("钩针", "编织", "毛线", "手工", "刺绣", "缝纫", "手作", "书法", "毛笔", "练字"), "手工编织"),
    "gardening": (("gardening", "garden", "allotment", "seedlings", "compost", "pruning", "secateurs",
                   "houseplants", "houseplant", "plants", "raised bed", "vegetable patch", "repotting", "repotted",
                   "potting soil", "monstera", "pothos", "calathea", "calatheas", "ferns", "succulents", "cuttings",
                   "propagating", "grow light"),
                  ("养花", "种花", "花园", "园艺", "盆栽", "多肉", "换盆", "浇水"), "园艺"),
    "music": (("music", "guitar", "piano", "song", "playlist", "concert", "vinyl", "band", "album"),
              ("音乐", "吉他", "钢琴", "歌单", "演唱会", "唱歌", "黑胶"), "音乐"),
    "pets": (("cat", "dog", "puppy", "kitten", "pet", "vet visit"),
             ("猫", "狗", "猫咪", "狗狗", "宠物", "铲屎"), "宠物"),
    "study work": (("study", "study notes", "productivity", "exam", "desk", "planner", "work from home", "reading",
                    "books", "notion"),
                   ("学习", "笔记", "效率", "考试", "书桌", "计划", "读书", "办公"), "学习效率"),
    "mobility": (("commute", "ride", "taxi", "driver", "car", "traffic", "late night", "airport transfer"),
                 ("通勤", "打车", "出行", "开车", "堵车", "司机"), "出行"),
    "birding": (("birding", "birdwatching", "bird watching", "birdwatcher", "birder", "birders", "bird", "birds",
                 "binoculars", "wildlife", "spring migration", "autumn migration", "species", "heron", "owl", "owls",
                 "hawk", "harrier", "warbler", "warblers", "woodpecker", "woodpeckers", "kingfisher", "redstart",
                 "egret", "estuary", "nature reserve", "bird hide", "bird feeder", "twitching", "songbirds",
                 "dawn chorus"),
                ("观鸟", "鸟类", "候鸟", "野鸟", "拍鸟", "野生动物", "自然保护区"), "观鸟"),
    "stargazing": (("stargazing", "astronomy", "telescope", "star party", "night sky", "galaxy", "planets",
                    "saturn", "jupiter", "milky way", "meteor shower", "nebula", "constellation", "astrophotography",
                    "dark sky"),
                   ("天文", "观星", "星空", "银河", "流星雨", "天文望远镜"), "观星"),
    "streaming": (("movie", "film", "series", "binge", "episode", "documentary", "watchlist", "cinema", "anime"),
                  ("电影", "剧", "追剧", "综艺", "纪录片", "动漫", "影院"), "影视"),
}

# Pairs of topics an ad can bridge naturally (symmetric). Same topic is always a fit.
RELATED: frozenset[frozenset[str]] = frozenset(frozenset(p) for p in [
    ("woodworking", "diy tools"), ("woodworking", "home"), ("diy tools", "home"), ("woodworking", "crafts"),
    ("skincare", "makeup"), ("skincare", "fitness"), ("makeup", "fashion"), ("fitness", "outdoor"),
    ("fitness", "tech"), ("cooking", "coffee tea"), ("cooking", "home"), ("travel", "outdoor"),
    ("travel", "photography"), ("travel", "mobility"), ("gaming", "tech"), ("gaming", "streaming"),
    ("photography", "tech"), ("music", "tech"), ("music", "streaming"), ("study work", "tech"),
    ("study work", "coffee tea"), ("home", "streaming"), ("crafts", "home"), ("fashion", "travel"),
    ("outdoor", "photography"), ("coffee tea", "home"), ("gardening", "home"), ("gardening", "outdoor"),
    ("gardening", "cooking"), ("pets", "home"), ("mobility", "study work"), ("birding", "outdoor"),
    ("birding", "photography"), ("birding", "travel"), ("stargazing", "outdoor"), ("stargazing", "photography"),
])


def topic_counts(texts: Iterable[str]) -> Counter:
    """How many of the texts mention each topic."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(_topics_in(text))
    return counts


@functools.lru_cache(maxsize=8192)
def _topics_in(text: str) -> tuple[str, ...]:  # the topic table is fixed: one scan per distinct text
    return tuple(topic for topic, (en, zh, _) in TOPICS.items()
                 if any(contains_term(text, w) for w in en) or any(w in text for w in zh))


def topic_affinity(a: str, b: str) -> float:
    """1 for the same topic, 0.6 for a related pair, 0 otherwise."""
    if a == b:
        return 1.0
    return 0.6 if frozenset((a, b)) in RELATED else 0.0


def topic_fit(user_topics: dict[str, float], product_topics: dict[str, float]) -> float:
    """Best weighted affinity between a theme's topics and a product's topics, in [0, 1]."""
    best = 0.0
    for ut, uw in user_topics.items():
        for pt, pw in product_topics.items():
            best = max(best, topic_affinity(ut, pt) * min(1.0, uw) * min(1.0, pw))
    return best


EN_LABELS = {"coffee tea": "coffee", "diy tools": "DIY", "study work": "study", "tech": "tech", "home": "home life",
             "crafts": "handmade crafts", "mobility": "getting around", "streaming": "movie nights",
             "outdoor": "the outdoors", "cooking": "cooking", "gardening": "gardening"}


def en_label(topic: str) -> str:
    """A short English name for a topic, usable in ad copy."""
    return EN_LABELS.get(topic, topic)


def zh_label(topic: str) -> str:
    return TOPICS[topic][2]
