"""Owned theme visuals: line-art motifs drawn by this code for the common interest families.

A person's history steers which family appears (its themes, the scene's personalization); the frames never
show the history's own images unless their licence record allows reuse. Each motif is drawn on a 256-unit
square with round strokes, supersampled, and returned as an RGBA sprite in any colour.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

U = 256  # drawing units per motif side
Draw = Callable[[ImageDraw.ImageDraw, float], None]

# family -> cue words. Latin cues match as word prefixes ("glaze" would match "glazed"), a cue ending in "$"
# as a whole word only ("art$" matches "art", not "artificial" or "state-of-the-art"); CJK cues match as
# substrings. Where two families
# score the same, the earlier one wins: the specific hobby before the general field (a climbing gym is climbing,
# a pottery note that mentions its tools is pottery).
FAMILIES: dict[str, tuple[str, ...]] = {
    "running": ("run", "marathon", "jog", "trail", "sneaker", "shoe", "steps", "pace", "跑步", "马拉松", "跑鞋"),
    "cycling": ("cycling", "cyclist", "bicycle", "bike", "biking", "velodrome", "peloton", "gran fondo", "mtb$",
                "骑行", "自行车", "单车", "公路车", "山地车", "骑车"),
    "swimming": ("swim", "swam$", "breaststroke", "backstroke", "butterfly stroke", "open water", "lido$", "snorkel",
                 "泳"),
    "climbing": ("climbing", "climber", "boulder", "carabiner", "belay", "crag", "chalk bag", "via ferrata",
                 "攀岩", "抱石", "岩馆"),
    "fitness": ("fitness", "gym", "workout", "training", "strength", "yoga", "pilates", "hiit", "cardio", "sweat",
                "健身", "瑜伽", "训练", "运动"),
    "coffee": ("coffee", "espresso", "latte", "brew", "tea$", "teas$", "teapot", "matcha", "cafe", "café", "roast", "bean", "咖啡",
               "拿铁", "手冲", "茶"),
    "skincare": ("skincare", "skin", "serum", "moistur", "cleanser", "sunscreen", "spf", "glow", "hydra",
                 "beauty", "makeup", "lipstick", "护肤", "精华", "面霜", "彩妆", "保湿"),
    "chess": ("chess", "checkmate", "board game", "boardgame", "tabletop game", "catan", "meeple", "dice$",
              "scrabble", "mahjong", "棋", "桌游", "麻将"),
    "gaming": ("gaming", "game", "gamer", "console", "controller", "esports", "rpg", "fps", "游戏", "电竞", "手柄"),
    # the craft's words, not the materials' ("ceramic coating", "陶瓷刀" and "porcelain skin" are not pottery)
    "pottery": ("pottery", "potter's", "potter’s", "potters$", "ceramics$", "clay$", "kiln", "glaze$",
                "glazes$", "underglaze", "stoneware", "earthenware", "raku$", "celadon", "wheel-thrown",
                "wheel thrown", "wheel throwing", "throwing on the wheel", "陶艺", "陶土", "陶器", "拉坯", "上釉",
                "釉色", "釉料", "施釉", "窑", "黏土", "粘土", "素烧"),
    "woodworking": ("woodwork", "woodturn", "walnut", "oak", "chisel", "workbench", "joinery", "carpentry", "diy",
                    "drill", "tool", "workshop", "木工", "工具", "电钻", "榫卯"),
    "travel": ("travel", "trip", "flight", "hotel", "backpack", "vacation", "explore", "island", "airport",
               "ride", "commute", "journey", "旅行", "旅游", "出行", "机票"),
    "cooking": ("cooking", "cook", "recipe", "baking", "bake", "kitchen", "dinner", "meal", "bread", "sourdough",
                "pasta", "chef", "skillet", "food", "snack", "delivery", "做饭", "烘焙", "厨房", "美食", "面包"),
    "art": ("art$", "arts$", "artist", "artwork", "painting", "painter", "watercolo", "gouache", "acrylics",
            "oil paint", "sketch", "drawing", "illustration", "illustrator", "easel", "calligraph", "mural",
            "绘画", "画画", "水彩", "油画", "素描", "插画", "国画", "书法", "艺术", "美术", "写生"),
    "crochet": ("crochet", "knit", "yarn", "handmade", "sewing", "embroidery", "craft", "stitch", "钩针", "编织",
                "毛线", "手工"),
    "films": ("film", "movie", "cinema", "series", "binge", "episode", "documentary", "anime", "stream", "watch",
              "电影", "追剧", "影视", "动漫"),
    "music": ("music", "guitar", "piano", "song", "playlist", "concert", "vinyl", "album", "headphone", "earbud",
              "speaker", "sound", "audio", "音乐", "吉他", "耳机", "歌单"),
    "pets": ("pet$", "pets$", "cat$", "cats$", "dog", "puppy", "kitten", "宠物", "猫", "狗"),
    "birds": ("bird", "birding", "binocular", "wildlife", "warbler", "owl", "heron", "redstart", "kingfisher",
              "harrier", "woodpecker", "egret", "species$", "鸟", "观鸟", "望远镜"),
    "stars": ("stargaz", "astronom", "telescope", "star party", "night sky", "galaxy", "galaxies", "planet",
              "saturn", "jupiter", "milky way", "meteor", "nebula", "constellation", "天文", "观星", "星空", "银河"),
    "sailing": ("sail", "regatta", "yacht", "dinghy", "boat", "harbour", "harbor", "marina", "tide", "anchor",
                "kayak", "canoe", "rowing", "surfing", "surfboard", "帆船", "航海", "划船", "冲浪"),
    "gardening": ("garden", "plant", "seedling", "flower", "herb", "balcony", "succulent", "园艺", "植物", "花"),
    "photography": ("photo", "camera", "lens", "shoot", "portrait", "摄影", "相机", "镜头"),
    "outdoor": ("hiking", "hike", "camping", "camp", "mountain", "tent", "outdoor", "summit", "forest", "徒步",
                "露营", "户外", "登山"),
    "reading": ("book", "reading", "read", "study", "notes", "desk", "ereader", "novel", "读书", "学习", "笔记"),
    "home": ("home", "candle", "decor", "cozy", "interior", "apartment", "stay", "家居", "收纳", "民宿"),
    "fashion": ("outfit", "fashion", "style", "hoodie", "jacket", "wardrobe", "streetwear", "穿搭", "时尚"),
    "tech": ("tech", "phone", "laptop", "gadget", "smartwatch", "battery", "screen", "app$", "apps$", "charge", "数码",
             "手机", "电脑", "屏幕"),
}


@lru_cache(maxsize=1024)
def _cue_re(cue: str) -> re.Pattern[str]:
    if cue.endswith("$"):  # a whole word, and not one inside a compound ("state-of-the-art" is no art)
        return re.compile(rf"(?<![\w-]){re.escape(cue[:-1])}(?![\w-])")
    return re.compile(rf"\b{re.escape(cue)}")


def _hits(text: str, cue: str) -> int:
    if not cue.isascii():
        return text.count(cue)
    return len(_cue_re(cue).findall(text))


def family_scores(weighted_texts: Iterable[tuple[str, float]]) -> dict[str, float]:
    """family -> weighted count of cue words in the texts."""
    scores: dict[str, float] = {}
    for text, weight in weighted_texts:
        low = text.lower()
        for fam, cues in FAMILIES.items():
            n = sum(_hits(low, c) for c in cues)
            if n:
                scores[fam] = scores.get(fam, 0.0) + weight * n
    return scores


def pick_family(weighted_texts: Iterable[tuple[str, float]], default: str = "tech") -> str:
    """The motif family the texts talk about most (ties go to the order of FAMILIES)."""
    scores = family_scores(weighted_texts)
    if not scores:
        return default
    order = list(FAMILIES)
    return max(scores, key=lambda f: (scores[f], -order.index(f)))


# --- drawings (256 x 256 units, stroke width w) ------------------------------------------------------------
def _line(d, pts, w):
    d.line(pts, fill=255, width=int(w), joint="curve")
    for x, y in (pts[0], pts[-1]):
        d.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=255)


def _running(d, w):
    _line(d, [(40, 150), (70, 120), (110, 118), (140, 150), (200, 160), (222, 178), (218, 196), (40, 196),
              (40, 150)], w)
    _line(d, [(40, 176), (218, 176)], w * 0.6)
    for x in (92, 110, 128):
        _line(d, [(x, 124), (x + 10, 140)], w * 0.5)


def _fitness(d, w):
    _line(d, [(70, 128), (186, 128)], w)
    for x in (52, 204):
        d.rounded_rectangle((x - 12, 84, x + 12, 172), radius=8, fill=255)
    for x in (28, 228):
        d.rounded_rectangle((x - 8, 100, x + 8, 156), radius=6, fill=255)


def _coffee(d, w):
    d.rounded_rectangle((56, 112, 176, 214), radius=26, outline=255, width=int(w))
    d.arc((150, 128, 214, 186), -90, 90, fill=255, width=int(w))
    for x in (86, 116, 146):
        d.arc((x - 16, 40, x + 16, 100), 100, 260, fill=255, width=int(w * 0.7))
    _line(d, [(40, 228), (196, 228)], w * 0.8)


def _birds(d, w):
    """A small bird on a branch."""
    d.ellipse((78, 84, 170, 160), outline=255, width=int(w))  # body
    d.ellipse((142, 58, 192, 108), outline=255, width=int(w))  # head
    d.polygon([(190, 78), (222, 86), (190, 94)], fill=255)  # beak
    d.ellipse((164, 74, 176, 86), fill=255)  # eye
    _line(d, [(86, 124), (40, 150), (52, 116)], w * 0.8)  # tail
    _line(d, [(96, 120), (130, 138)], w * 0.6)  # wing
    _line(d, [(28, 200), (228, 186)], w)  # branch
    _line(d, [(112, 158), (110, 194)], w * 0.6)
    _line(d, [(140, 156), (142, 190)], w * 0.6)


def _stars(d, w):
    """A ringed planet with a few four-pointed stars."""
    d.ellipse((78, 84, 178, 184), outline=255, width=int(w))  # planet
    d.arc((30, 112, 226, 160), 160, 380, fill=255, width=int(w * 0.8))  # the ring's front arc
    for cx, cy, r in ((48, 48, 16), (206, 62, 12), (214, 208, 18), (40, 210, 10)):
        d.polygon([(cx, cy - r), (cx + r * 0.28, cy - r * 0.28), (cx + r, cy), (cx + r * 0.28, cy + r * 0.28),
                   (cx, cy + r), (cx - r * 0.28, cy + r * 0.28), (cx - r, cy), (cx - r * 0.28, cy - r * 0.28)],
                  fill=255)


def _sailing(d, w):
    """A sailboat on a wave: hull, mast, mainsail and jib."""
    _line(d, [(122, 36), (122, 170)], w * 0.8)  # mast
    d.polygon([(130, 44), (130, 160), (206, 160)], outline=255, width=int(w))  # mainsail
    d.polygon([(114, 62), (114, 160), (58, 160)], outline=255, width=int(w))  # jib
    d.polygon([(36, 172), (220, 172), (190, 204), (64, 204)], fill=255)  # hull
    d.arc((20, 206, 84, 246), 200, 340, fill=255, width=int(w * 0.7))  # waves
    d.arc((96, 206, 160, 246), 200, 340, fill=255, width=int(w * 0.7))
    d.arc((172, 206, 236, 246), 200, 340, fill=255, width=int(w * 0.7))


def _smooth(pts, n=8):
    """A Catmull-Rom curve through the points (n steps per span), for drawn profiles."""
    p = [pts[0], *pts, pts[-1]]
    out = []
    for i in range(1, len(p) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p[i - 1], p[i], p[i + 1], p[i + 2]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            out.append((0.5 * (2 * x1 + (x2 - x0) * t + (2 * x0 - 5 * x1 + 4 * x2 - x3) * t2
                               + (3 * x1 - x0 - 3 * x2 + x3) * t3),
                        0.5 * (2 * y1 + (y2 - y0) * t + (2 * y0 - 5 * y1 + 4 * y2 - y3) * t2
                               + (3 * y1 - y0 - 3 * y2 + y3) * t3)))
    return [*out, pts[-1]]


def _path(d, pts, w):
    """A round-capped, round-jointed stroke along many short segments (a curve from _smooth)."""
    d.line(pts, fill=255, width=int(w))
    for x, y in pts:
        d.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=255)


def _pottery(d, w):
    """A vase thrown on a potter's wheel: the pot's profile, the spinning wheel head and its stand."""
    right = _smooth([(156, 48), (146, 62), (148, 84), (178, 114), (184, 142), (170, 168), (152, 182)])
    left = [(256 - x, y) for x, y in reversed(right)]
    _path(d, [*left, *right], w)
    d.ellipse((98, 40, 158, 56), outline=255, width=int(w * 0.6))  # the mouth
    d.ellipse((38, 180, 218, 208), outline=255, width=int(w))  # the wheel head
    for box, start, end in (((10, 164, 60, 224), 120, 240), ((196, 164, 246, 224), 300, 60)):
        d.arc(box, start, end, fill=255, width=int(w * 0.5))  # it spins
    _line(d, [(128, 208), (128, 232)], w)
    _line(d, [(84, 234), (172, 234)], w)


def _cycling(d, w):
    """A bicycle: two wheels, a diamond frame, saddle and handlebar."""
    for cx in (62, 194):
        d.ellipse((cx - 46, 122, cx + 46, 214), outline=255, width=int(w * 0.8))
    _line(d, [(62, 168), (110, 94), (122, 168), (62, 168)], w * 0.7)  # seat stay, seat tube, chain stay
    _line(d, [(110, 94), (176, 96), (122, 168)], w * 0.7)  # top and down tube
    _line(d, [(194, 168), (172, 80), (190, 68)], w * 0.7)  # fork and stem, the bar
    _line(d, [(92, 84), (124, 84)], w)  # saddle
    _line(d, [(110, 84), (110, 94)], w * 0.7)


def _swimming(d, w):
    """A swimmer mid-stroke: the head above the water, the arm raised behind it, two waves."""
    d.ellipse((144, 112, 188, 156), fill=255)  # head
    _line(d, [(134, 162), (98, 84), (54, 152)], w * 1.1)  # the arm: shoulder, elbow up, hand back in
    for base in (172, 212):
        pts = [(x, base + 8 * np.sin((x - 24) / 208 * 4 * np.pi)) for x in range(24, 233, 8)]
        _path(d, pts, w * 0.8)


def _climbing(d, w):
    """A climber on a bouldering wall: reaching for one hold, standing on two, the rope from the harness."""
    holds = [[(58, 34), (84, 26), (88, 48), (64, 54)], [(166, 20), (194, 26), (186, 46), (162, 42)],
             [(178, 168), (204, 160), (208, 184), (182, 190)], [(66, 194), (94, 190), (96, 212), (70, 214)],
             [(196, 96), (222, 92), (220, 116)]]
    for h in holds:
        d.polygon(_smooth(h + h[:1], 4), fill=255)
    d.ellipse((106, 50, 142, 86), fill=255)  # head
    _line(d, [(126, 94), (136, 146)], w * 1.2)  # body
    _line(d, [(128, 100), (98, 84), (78, 50)], w * 0.8)  # arm to the left hold
    _line(d, [(128, 100), (158, 72), (174, 40)], w * 0.8)  # arm up to the high hold
    _line(d, [(136, 146), (176, 150), (188, 170)], w * 0.9)  # legs onto the foot holds
    _line(d, [(136, 146), (102, 168), (84, 196)], w * 0.9)
    _line(d, [(136, 146), (150, 196), (146, 240)], w * 0.45)  # the rope


def _art(d, w):
    """A painter's palette with paint on it and a brush across."""
    d.ellipse((24, 62, 198, 206), outline=255, width=int(w))
    d.ellipse((56, 146, 86, 176), outline=255, width=int(w * 0.6))  # thumb hole
    for x, y in ((70, 104), (106, 88), (144, 96), (166, 130)):
        d.ellipse((x - 13, y - 13, x + 13, y + 13), fill=255)
    _line(d, [(232, 30), (160, 150)], w * 0.7)  # handle
    _line(d, [(160, 150), (148, 170)], w * 1.4)  # ferrule
    d.polygon(_smooth([(150, 166), (140, 176), (128, 212), (142, 190), (156, 176), (150, 166)], 4), fill=255)


def _chess(d, w):
    """A chess knight beside a pawn, on one base."""
    knight = [(62, 196), *_smooth([(62, 196), (72, 164), (100, 134)], 5), (66, 136), (46, 126),
              *_smooth([(46, 126), (38, 106), (52, 82), (84, 58)], 5), (96, 28), (112, 50),
              *_smooth([(112, 50), (140, 60), (164, 100), (172, 150), (174, 196)], 6)]
    d.polygon(knight, fill=255)
    d.ellipse((74, 76, 88, 90), fill=0)  # eye
    d.line(_smooth([(124, 70), (146, 96), (154, 134), (156, 186)], 5), fill=0, width=int(w * 0.45))  # mane
    d.ellipse((184, 84, 216, 116), fill=255)  # pawn head
    d.rounded_rectangle((182, 116, 218, 126), radius=4, fill=255)  # collar
    d.polygon(_smooth([(176, 196), (182, 160), (194, 126), (206, 126), (218, 160), (224, 196)], 5), fill=255)
    d.rounded_rectangle((40, 192, 232, 222), radius=8, fill=255)


def _skincare(d, w):
    d.rounded_rectangle((88, 100, 168, 226), radius=18, outline=255, width=int(w))
    d.rectangle((108, 74, 148, 100), outline=255, width=int(w))
    d.rounded_rectangle((114, 28, 142, 74), radius=12, fill=255)
    _line(d, [(104, 160), (152, 160)], w * 0.6)
    d.ellipse((194, 60, 214, 84), fill=255)
    d.ellipse((204, 104, 218, 120), fill=255)


def _gaming(d, w):
    d.rounded_rectangle((30, 86, 226, 182), radius=44, outline=255, width=int(w))
    _line(d, [(78, 118), (78, 150)], w * 0.8)
    _line(d, [(62, 134), (94, 134)], w * 0.8)
    for x, y in ((168, 120), (192, 140), (168, 154)):
        d.ellipse((x - 9, y - 9, x + 9, y + 9), fill=255)


def _woodworking(d, w):
    d.polygon([(30, 150), (190, 150), (226, 176), (66, 176)], outline=255, width=int(w))
    _line(d, [(66, 176), (66, 204)], w)
    _line(d, [(226, 176), (226, 204)], w)
    d.rounded_rectangle((96, 48, 150, 96), radius=10, outline=255, width=int(w * 0.8))
    _line(d, [(150, 72), (212, 72)], w * 0.8)
    for x in range(160, 212, 12):
        _line(d, [(x, 72), (x + 5, 84)], w * 0.35)


def _travel(d, w):
    d.rounded_rectangle((64, 96, 192, 212), radius=18, outline=255, width=int(w))
    d.rounded_rectangle((100, 66, 156, 96), radius=10, outline=255, width=int(w * 0.8))
    _line(d, [(98, 110), (98, 198)], w * 0.6)
    _line(d, [(158, 110), (158, 198)], w * 0.6)
    _line(d, [(170, 40), (232, 24), (214, 46)], w * 0.6)


def _cooking(d, w):
    d.ellipse((40, 100, 180, 200), outline=255, width=int(w))
    _line(d, [(178, 146), (232, 128)], w * 1.1)
    for x in (84, 110, 136):
        d.arc((x - 14, 36, x + 14, 92), 100, 260, fill=255, width=int(w * 0.6))


def _crochet(d, w):
    d.ellipse((48, 70, 184, 206), outline=255, width=int(w))
    d.arc((64, 60, 200, 196), 130, 230, fill=255, width=int(w * 0.6))
    d.arc((40, 90, 176, 226), 300, 40, fill=255, width=int(w * 0.6))
    _line(d, [(70, 110), (168, 170)], w * 0.5)
    _line(d, [(176, 40), (232, 226)], w * 0.7)
    d.arc((166, 26, 194, 56), 180, 360, fill=255, width=int(w * 0.6))


def _films(d, w):
    d.rounded_rectangle((40, 100, 216, 212), radius=12, outline=255, width=int(w))
    d.polygon([(40, 96), (212, 56), (220, 86), (48, 126)], outline=255, width=int(w * 0.8))
    d.polygon([(112, 130), (112, 182), (156, 156)], fill=255)


def _music(d, w):
    _line(d, [(96, 186), (96, 60), (196, 40), (196, 166)], w)
    d.ellipse((52, 170, 104, 214), fill=255)
    d.ellipse((152, 150, 204, 194), fill=255)


def _pets(d, w):
    d.ellipse((88, 128, 168, 200), fill=255)
    for x, y in ((62, 104), (100, 66), (156, 66), (194, 104)):
        d.ellipse((x - 18, y - 22, x + 18, y + 22), fill=255)


def _gardening(d, w):
    d.polygon([(76, 156), (180, 156), (166, 224), (90, 224)], outline=255, width=int(w))
    _line(d, [(128, 156), (128, 70)], w)
    d.chord((58, 60, 132, 132), 180, 360, fill=255)
    d.chord((124, 36, 198, 108), 180, 360, fill=255)


def _photography(d, w):
    d.rounded_rectangle((32, 82, 224, 206), radius=18, outline=255, width=int(w))
    d.rounded_rectangle((86, 56, 140, 82), radius=6, fill=255)
    d.ellipse((88, 104, 168, 184), outline=255, width=int(w))


def _outdoor(d, w):
    _line(d, [(24, 210), (96, 90), (140, 160), (170, 118), (232, 210), (24, 210)], w)
    d.ellipse((170, 36, 214, 80), outline=255, width=int(w * 0.7))


def _reading(d, w):
    _line(d, [(128, 76), (128, 200)], w)
    d.polygon([(128, 76), (36, 58), (36, 184), (128, 200)], outline=255, width=int(w))
    d.polygon([(128, 76), (220, 58), (220, 184), (128, 200)], outline=255, width=int(w))


def _home(d, w):
    _line(d, [(36, 124), (128, 44), (220, 124)], w)
    _line(d, [(62, 110), (62, 212), (194, 212), (194, 110)], w)
    d.rounded_rectangle((108, 150, 148, 212), radius=6, outline=255, width=int(w * 0.8))


def _fashion(d, w):
    _line(d, [(128, 56), (128, 40), (146, 30)], w * 0.6)
    _line(d, [(128, 64), (28, 150), (228, 150), (128, 64)], w)
    d.polygon([(70, 150), (186, 150), (196, 226), (60, 226)], outline=255, width=int(w * 0.8))


def _tech(d, w):
    d.rounded_rectangle((80, 30, 176, 226), radius=20, outline=255, width=int(w))
    _line(d, [(114, 200), (142, 200)], w * 0.7)
    d.rounded_rectangle((98, 58, 158, 110), radius=8, fill=255)


DRAW: dict[str, Draw] = {
    "running": _running, "fitness": _fitness, "coffee": _coffee, "skincare": _skincare, "gaming": _gaming,
    "woodworking": _woodworking, "travel": _travel, "cooking": _cooking, "crochet": _crochet, "films": _films,
    "music": _music, "pets": _pets, "birds": _birds, "stars": _stars, "sailing": _sailing,
    "pottery": _pottery, "cycling": _cycling, "swimming": _swimming, "climbing": _climbing, "art": _art,
    "chess": _chess, "gardening": _gardening, "photography": _photography, "outdoor": _outdoor,
    "reading": _reading, "home": _home, "fashion": _fashion, "tech": _tech,
}


@lru_cache(maxsize=128)
def motif_mask(family: str, size: int, weight: float = 14.0) -> np.ndarray:
    """The family's motif as a float32 coverage mask, size x size (anti-aliased by 4x supersampling)."""
    k = 4
    img = Image.new("L", (U * k, U * k), 0)
    d = ImageDraw.Draw(img)
    scaled = _Scaled(d, k)
    DRAW.get(family, _tech)(scaled, weight)
    out = np.asarray(img.resize((size, size), Image.LANCZOS), dtype=np.float32) / 255.0
    out.setflags(write=False)
    return out


def motif_rgba(family: str, size: int, color: tuple[int, int, int], opacity: float = 1.0,
               weight: float = 14.0) -> np.ndarray:
    """The motif as an RGBA sprite in one colour."""
    mask = motif_mask(family, size, weight)
    out = np.empty((size, size, 4), np.uint8)
    out[..., :3] = color
    out[..., 3] = np.clip(mask * 255 * opacity, 0, 255).astype(np.uint8)
    return out


class _Scaled:
    """An ImageDraw that takes 256-unit coordinates and draws them k times larger."""

    def __init__(self, draw: ImageDraw.ImageDraw, k: int):
        self.d, self.k = draw, k

    def _p(self, pts):
        return [(x * self.k, y * self.k) for x, y in pts]

    def _b(self, box):
        return tuple(v * self.k for v in box)

    def line(self, pts, fill, width, joint=None):
        self.d.line(self._p(pts), fill=fill, width=int(width * self.k), joint=joint)

    def ellipse(self, box, fill=None, outline=None, width=1):
        self.d.ellipse(self._b(box), fill=fill, outline=outline, width=int(width * self.k))

    def rounded_rectangle(self, box, radius, fill=None, outline=None, width=1):
        self.d.rounded_rectangle(self._b(box), radius=radius * self.k, fill=fill, outline=outline,
                                 width=int(width * self.k))

    def rectangle(self, box, fill=None, outline=None, width=1):
        self.d.rectangle(self._b(box), fill=fill, outline=outline, width=int(width * self.k))

    def polygon(self, pts, fill=None, outline=None, width=1):
        self.d.polygon(self._p(pts), fill=fill, outline=outline, width=int(width * self.k))

    def arc(self, box, start, end, fill, width):
        self.d.arc(self._b(box), start, end, fill=fill, width=int(width * self.k))

    def chord(self, box, start, end, fill):
        self.d.chord(self._b(box), start, end, fill=fill)


__all__ = ["DRAW", "FAMILIES", "family_scores", "motif_mask", "motif_rgba", "pick_family"]
