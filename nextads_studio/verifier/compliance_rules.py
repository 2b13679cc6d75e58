"""Maintained lexicons and patterns behind the compliance rules (English and Chinese).

Each rule is (code, severity, compiled pattern, message). Keep entries lower-case for Latin text unless the
match must be case-sensitive (brand names that are also ordinary words, like "Apple" or "Dove").
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _rx(*alternatives: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), flags)


# (code, severity, pattern, message)
SAFETY_RULES: list[tuple[str, str, re.Pattern[str], str]] = [
    ("safety.disease_claim", "critical", _rx(
        r"\b(cures?|cured|heals?|treats?|reverses?|prevents?)\b[^.!?]{0,40}\b(disease|cancer|diabetes|illness|"
        r"infection|depression|anxiety|arthritis|acne|insomnia|covid|flu|virus)\b",
        r"治愈|根治|治疗[^。！？]{0,10}(病|癌|糖尿病)|抗癌|防癌|包治"),
     "claims to cure, treat or prevent a disease"),
    ("safety.health_claim", "major", _rx(
        r"\bclinically (proven|tested)\b", r"\bdoctors? recommend(ed)?\b", r"\bmedical[- ]grade\b",
        r"\bboosts? (your )?(immune|immunity|metabolism)\b", r"\b(burns?|melts?) (belly )?fat\b",
        r"\blose \d+\s*(kg|pounds|lbs)\b", r"\bweight[- ]loss\b", r"\bdetox(ify|es)?\b",
        r"\blowers? (your )?(blood pressure|cholesterol|blood sugar)\b", r"\b(therapeutic|healing) (effect|power)s?\b",
        r"\bhealth benefits?\b", r"\bimproves? (your )?(health|sleep quality|heart health)\b",
        r"医学验证|临床(证明|验证)|医生推荐|减肥|瘦身|燃脂|排毒|降血压|降血糖|提高免疫力|增强免疫"),
     "makes a health or medical claim"),
    ("safety.guaranteed_result", "major", _rx(
        r"\bguarantee[ds]?\b", r"\b100\s*% (results?|effective|success|satisfaction)\b", r"\brisk[- ]free\b",
        r"\b(instant|overnight|permanent) results?\b", r"\bworks? every time\b", r"\bnever fails?\b",
        r"保证(效果|有效)|百分百有效|立竿见影|无效退款|永久(有效|见效)"),
     "promises a guaranteed result"),
    ("safety.superlative", "minor", _rx(
        r"\b(the )?best in the (world|market|industry)\b", r"\b(#|number )1\b", r"\bno\.? ?1\b",
        r"\bworld'?s (best|first|fastest|most)\b", r"\bunbeatable\b", r"\bunmatched\b", r"\bthe only \w+ (that|you)\b",
        r"最好的|第一品牌|全球第一|全网最低|最佳|顶级|史上最"),
     "uses an unsupported superlative"),
    ("safety.deceptive_urgency", "major", _rx(
        r"\bonly \d+ left\b", r"\b(last|final) chance\b", r"\b(ends|expires) (tonight|today|in \d+)\b",
        r"\bact now\b", r"\bhurry\b", r"\bbefore it'?s gone\b", r"\bselling out fast\b", r"\btoday only\b",
        r"\blimited time only\b", r"仅剩\d+|最后机会|今晚截止|手慢无|马上抢|限时抢购"),
     "creates deceptive urgency"),
]

PRICE_PATTERN = re.compile(
    r"(?:[$€£¥￥]\s?\d[\d,]*(?:\.\d+)?)|(?:\d[\d,]*(?:\.\d+)?\s?(?:usd|dollars?|eur|euros?|gbp|rmb|cny|元|块))"
    r"|(?:\d[\d,]*(?:\.\d+)?\s?(?:/|per )\s?(?:mo|month|year|yr|night|ride)\b)", _I)
# a number a claim could rest on: a percentage, or a number with a unit, or any number above 10
NUMBER_PATTERN = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?)\s?(%|percent|x\b|k\b|mah|gb|tb|mp|hz|w\b|h\b|hrs?|hours?|min(?:utes?)?|"
    r"days?|weeks?|months?|years?|km|kg|g\b|ml|l\b|mm|cm|inch(?:es)?|\"|fps|k\b|ms|spf|stars?|倍|小时|分钟|天|年)?", _I)

FAIRNESS_RULES: list[tuple[str, str, re.Pattern[str], str]] = [
    ("fairness.stereotype", "major", _rx(
        r"\b(women|girls|ladies|men|boys|guys|moms|dads|seniors|old people|the elderly|millennials|boomers|"
        r"gen z|asians|africans|immigrants)\b (can'?t|cannot|don'?t|never|always|are (bad|terrible|useless|no good)"
        r"|should(n'?t)?|belong)\b",
        r"\blike a girl\b", r"\bman up\b", r"\bfor real (men|women)\b", r"\breal (men|women) (don'?t|do|have)\b",
        r"\bwomen are\b", r"\bmen are\b", r"\b(too old|too fat|too ugly) (to|for)\b",
        r"女人就该|男人就该|女司机|剩女|大妈都|老年人(不会|学不会)|男人都|女人都"),
     "uses stereotyping wording"),
    ("fairness.exclusionary", "major", _rx(
        r"\b(only|just|strictly) for (men|women|boys|girls|young people|the young|whites?|skinny people|normal people)\b",
        r"\bnot for (women|men|girls|boys|old(er)? people|seniors|the elderly|fat people|poor people)\b",
        r"\bno (fat|old|ugly|poor) (people|ones)\b", r"\bnormal people\b", r"\bghetto\b", r"\bexotic (women|girls|people)\b",
        r"\b(lame|retarded|crippled|spastic)\b", r"只限男性|只限女性|穷人不配|胖子勿|丑人勿"),
     "uses exclusionary wording"),
]

# Real brands an ad for another brand must not name (a small, maintained list; extend as needed).
REAL_BRANDS: tuple[str, ...] = (
    "Nike", "Adidas", "Puma", "Reebok", "New Balance", "Under Armour", "Lululemon", "Apple", "iPhone", "iPad",
    "MacBook", "AirPods", "Samsung", "Huawei", "Xiaomi", "Sony", "Bose", "Google",
    "Microsoft", "Dell", "Lenovo", "HP", "Coca-Cola", "Coke", "Pepsi", "Red Bull", "Starbucks", "Dunkin", "Nespresso",
    "McDonald's", "KFC", "Burger King", "Subway", "Domino's", "Sephora", "L'Oreal", "L'Oréal", "Estee Lauder",
    "Chanel", "Dior", "Gucci", "Louis Vuitton", "Prada", "Zara", "H&M", "Uniqlo", "IKEA", "Walmart",
    "Amazon", "Netflix", "Spotify", "Disney+", "YouTube", "TikTok", "Instagram", "Uber", "Lyft", "DoorDash",
    "Airbnb", "Booking.com", "Expedia", "Tesla", "BMW", "Mercedes", "Toyota", "Colgate", "Gillette", "Dove",
    "Snickers", "Breville", "Dyson", "Chagee", "Luckin", "Meituan", "Didi",
    "耐克", "阿迪达斯", "苹果手机", "华为", "小米", "可口可乐", "百事", "星巴克", "瑞幸", "肯德基", "麦当劳", "丝芙兰",
    "优衣库", "宜家", "淘宝", "京东", "美团", "滴滴", "霸王茶姬", "喜茶", "特斯拉",
)

PUBLIC_FIGURES: tuple[str, ...] = (
    "Taylor Swift", "Beyonce", "Beyoncé", "Rihanna", "Lady Gaga", "Elon Musk", "Jeff Bezos", "Mark Zuckerberg",
    "Bill Gates", "Oprah", "Kim Kardashian", "Kylie Jenner", "LeBron James", "Michael Jordan", "Cristiano Ronaldo",
    "Lionel Messi", "Serena Williams", "Tom Cruise", "Leonardo DiCaprio", "Zendaya", "Barack Obama", "Donald Trump",
    "Joe Biden", "BTS", "Blackpink", "Jackie Chan", "Jay Chou", "Yao Ming",
    "周杰伦", "成龙", "姚明", "杨幂", "刘亦菲", "王一博", "肖战", "蔡徐坤", "谷爱凌", "李佳琦",
)

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
HANDLE_PATTERN = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,30}")
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?\d[\d\s().-]{7,}\d)(?!\d)")

# Capitalised words that are not names (sentence starters, ad vocabulary) when mining names from a history.
NOT_NAMES = frozenset("""
I The A An And But Or So My Our Your Their His Her This That These Those It Its We You They He She Today Tomorrow
Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December New Best Top Day Week Weekend Morning Night Love Just Finally Why How
What When Where Who Which Meet Try Get Make Take Find Shop Buy Ready Here There Now Every All One Two Three Part
OMG Vlog Diary Tips Guide Review Update DIY Home Life Style Summer Winter Spring Autumn Fall Holiday Christmas
""".split())
