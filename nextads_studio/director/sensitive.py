"""Sensitive-theme detection from a bilingual (English + Chinese) lexicon.

The Director keeps these themes out of every hook, caption and narration; the Verifier may reuse `find_sensitive`
on ad text. Categories follow common ad-platform policies on personal attributes.
"""

from __future__ import annotations

import functools

from .text import contains_term

LEXICON: dict[str, tuple[str, ...]] = {
    "health condition": (
        "diabetes", "diabetic", "type 2", "metformin", "endocrinologist", "test strips", "glucose", "support group", "type 2 diabetes", "insulin", "blood sugar", "glucose monitor", "a1c",
        "cancer", "tumor", "tumour", "chemo", "chemotherapy", "radiotherapy", "oncology", "depression", "depressed",
        "anxiety disorder", "panic attack", "bipolar", "adhd", "autism", "ocd", "ptsd", "eating disorder", "anorexia",
        "bulimia", "chronic pain", "chronic illness", "arthritis", "asthma", "eczema", "psoriasis", "migraine",
        "epilepsy", "seizure", "thyroid", "pcos", "endometriosis", "ibs", "crohn", "hiv", "hepatitis", "dialysis",
        "kidney disease", "heart disease", "hypertension", "high blood pressure", "stroke recovery", "diagnosis",
        "diagnosed", "prescription", "medication", "side effects", "flare-up", "flare up", "symptoms", "infertility",
        "ivf", "miscarriage", "surgery recovery", "post-op", "hospital stay", "disability", "wheelchair",
        "糖尿病", "胰岛素", "血糖", "控糖", "癌症", "肿瘤", "化疗", "放疗", "抑郁", "焦虑症", "惊恐", "双相", "多动症",
        "自闭", "强迫症", "进食障碍", "厌食", "慢性病", "慢性疼痛", "关节炎", "哮喘", "湿疹", "银屑病", "偏头痛", "癫痫",
        "甲状腺", "甲亢", "甲减", "多囊", "子宫内膜异位", "肠易激", "艾滋", "乙肝", "肝炎", "透析", "肾病", "心脏病",
        "高血压", "确诊", "处方药", "服药", "副作用", "症状", "不孕", "试管", "流产", "术后", "住院", "残疾", "轮椅",
    ),
    "religion": (
        "church", "mosque", "temple prayer", "synagogue", "bible", "quran", "koran", "torah", "prayer", "praying",
        "ramadan", "fasting for", "christian", "muslim", "islam", "jewish", "judaism", "hindu", "buddhist",
        "buddhism", "catholic", "evangelical", "atheist", "faith journey", "worship", "sermon", "baptism",
        "教会", "教堂", "清真寺", "圣经", "古兰经", "祷告", "礼拜", "斋月", "基督", "穆斯林", "伊斯兰", "犹太", "佛教",
        "佛经", "念经", "拜佛", "天主教", "信仰", "受洗",
    ),
    "politics": (
        "election", "vote for", "voting", "democrat", "republican", "left-wing",
        "right-wing", "protest", "rally", "campaign trail", "senator", "congress", "parliament", "political",
        "politics", "immigration policy", "abortion", "gun control",
        "选举", "投票", "政党", "政治", "抗议", "游行", "示威", "议员", "国会", "政府政策", "堕胎",
    ),
    "sexuality": (
        "gay", "lesbian", "bisexual", "transgender", "queer", "lgbt", "lgbtq", "coming out", "sexual orientation",
        "dating app", "hookup", "sex life", "sexual",
        "同性恋", "男同", "女同", "双性恋", "跨性别", "出柜", "性取向", "约炮", "性生活",
    ),
    "financial hardship": (
        "debt", "in debt", "bankrupt", "bankruptcy", "eviction", "evicted", "unemployed", "laid off", "lost my job",
        "payday loan", "can't afford", "cannot afford", "broke again", "overdue bills", "food bank", "welfare",
        "负债", "欠债", "破产", "被裁", "失业", "裁员", "网贷", "还不起", "交不起", "房租都", "催收", "低保",
    ),
    "ethnicity": (
        "ethnicity", "ethnic", "racial", "racism", "skin colour", "skin color", "immigrant status",
        "minority group", "indigenous",
        "民族", "种族", "少数民族", "肤色歧视", "移民身份",
    ),
    "minors": (
        "my toddler", "my baby", "my son", "my daughter", "my kid", "my kids", "my child", "my children",
        "preschool", "kindergarten", "elementary school", "grade school", "newborn", "infant", "teenager",
        "under 18",
        "宝宝", "宝贝女儿", "宝贝儿子", "我儿子", "我女儿", "孩子", "小孩", "幼儿园", "小学生", "初中生", "新生儿", "婴儿",
        "未成年",
    ),
}


def sensitive_matches(text: str) -> list[tuple[str, str]]:
    """(category, term) pairs found in `text`, in lexicon order."""
    if not text:
        return []
    return list(_matches(text))


@functools.lru_cache(maxsize=16384)
def _matches(text: str) -> tuple[tuple[str, str], ...]:  # the lexicon is fixed: one scan per distinct text
    return tuple((cat, term) for cat, terms in LEXICON.items() for term in terms if contains_term(text, term))


def find_sensitive(text: str) -> list[str]:
    """Sensitive categories (e.g. 'health condition') that `text` names or clearly implies."""
    return list(dict.fromkeys(cat for cat, _ in sensitive_matches(text)))


def sensitive_terms(text: str) -> list[str]:
    """The lexicon terms found in `text` (for evidence in findings)."""
    return list(dict.fromkeys(term for _, term in sensitive_matches(text)))
