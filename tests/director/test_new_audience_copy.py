"""A new user's products and history the code was not written for: claims in every ad, framings from the
person's interests and the product (never a coffee counter for a kettle), personal cues from the person's own
nouns and never their names, handles or sensitive notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nextads_studio.director.copy.lint import lint_plan
from nextads_studio.director.profile import evidence_nouns

TRIAL = Path(__file__).resolve().parents[1] / "data" / "copy_trial"


@pytest.fixture(scope="module")
def trial():
    from nextads_studio.library import read_products_json
    from nextads_studio.library.loading import read_any

    return {p.product_id: p for p in read_products_json(TRIAL / "products.json")}, read_any(TRIAL / "history.csv")


def _spoken_and_shown(plan) -> list[str]:
    return [t for s in plan.storyboard.scenes for t in (s.narration, s.on_screen_text) if t]


@pytest.mark.parametrize("duration", [6, 15])
def test_every_ad_carries_a_claim_from_the_record(director, trial, plan_dir, duration):
    products, users = trial
    for uid in ("u_tess", "u_ravi"):
        previous = []
        for pid, product in products.items():
            plan = director.plan(users[uid], product, duration=duration, previous_plans=previous,
                                 out_dir=plan_dir / f"trial-{uid}-{pid}-{duration}")
            previous.append(plan)
            assert lint_plan(plan) == []
            claimed = [s for s in plan.storyboard.scenes if s.claim_source]
            assert claimed, (uid, pid, _spoken_and_shown(plan))
            for s in claimed:  # the pointer leads back to the record
                kind, _, rest = s.claim_source.partition("[")
                assert kind in ("selling_points", "facts.") or s.claim_source.startswith("facts."), s.claim_source
                if kind == "selling_points":
                    assert int(rest.rstrip("]")) < len(product.selling_points)


def test_a_kettle_for_a_backpacker_is_framed_by_backpacking_not_coffee(director, trial, plan_dir):
    products, users = trial
    kettle = products["brisa-travel-kettle"]
    previous = []
    for k in range(3):
        plan = director.plan(users["u_tess"], kettle, duration=15, previous_plans=previous,
                             out_dir=plan_dir / f"kettle-{k}")
        previous.append(plan)
        assert plan.match.chosen_theme.startswith("backpacking")
        text = " ".join(_spoken_and_shown(plan)).lower()
        assert not re.search(r"\b(counter|coffee|cup|espresso|brew)\b", text), text
        cues = [c for s in plan.storyboard.scenes for c in s.personalization_used]
        assert cues, "a personal plan carries at least one personal cue"
    hooks = {p.storyboard.hook for p in previous}
    assert len(hooks) == 3


def test_a_birdwatchers_binocular_ad_personalizes_in_his_own_words(director, trial, plan_dir):
    """He calls it 'birdwatching' (the lexicon's topic is birding): the interest keeps his word, and the ad
    carries a place or a bird from his own notes."""
    products, users = trial
    plan = director.plan(users["u_ravi"], products["kestrel-8x42-binoculars"], duration=15,
                         out_dir=plan_dir / "birder")
    assert not plan.match.fallback_generic and plan.match.chosen_theme.startswith("birdwatching")
    cues = {c for s in plan.storyboard.scenes for c in s.personalization_used}
    notes = " ".join(f"{n.title} {n.content}" for n in users["u_ravi"].notes).lower()
    own = {c for c in cues if c.startswith("the ") and c[4:] in notes}
    assert own or "birdwatching" in cues, cues
    assert lint_plan(plan) == []


def test_no_name_handle_place_or_sensitive_note_reaches_the_copy(director, trial, plan_dir):
    products, users = trial
    for pid in products:
        plan = director.plan(users["u_tess"], products[pid], duration=30, out_dir=plan_dir / f"safe-{pid}")
        text = " ".join(_spoken_and_shown(plan)).lower()
        for word in ("clinic", "therapy", "medication", "marco", "loch", "harbour"):
            assert word not in text, (pid, word, text)


def test_evidence_nouns_keep_objects_and_drop_names_handles_and_modifiers():
    texts = ["Carried the tent up the ridge with Marco. Pitched the tent by the Lake Ardmore shore.",
             "Patched the tent and the stove. Follow @tess.walks for the route. The community garden swap was fun.",
             "Back at the clinic for the therapy follow-up. Cooked on the stove."]
    nouns = evidence_nouns(texts, ["tent", "community garden swap"], "en")
    assert "the tent" in nouns and "the stove" in nouns
    joined = " ".join(nouns)
    for bad in ("marco", "ardmore", "lake", "tess", "community", "clinic", "therapy"):
        assert bad not in joined, (bad, nouns)


def test_a_gardeners_beans_are_not_coffee(director, trial):
    from nextads_studio.director.copy.lexicon import forms_for
    from nextads_studio.director.profile import profile_topics

    _, users = trial
    profile = director.build_profile(users["u_tess"])
    garden = next(i for i in profile.interests if "gardening" in i.keywords)
    assert "coffee tea" not in profile_topics(garden)
    topic, forms = forms_for(garden, "en", ["coffee tea"])
    assert topic == "gardening" and "counter" not in forms.place


def test_a_chinese_writer_hears_chinese_and_sees_an_english_records_claim_in_its_wording(director, trial, plan_dir):
    products, users = trial
    plan = director.plan(users["u_lin"], products["brisa-travel-kettle"], duration=6, out_dir=plan_dir / "lin")
    assert plan.storyboard.language == "zh" and lint_plan(plan) == []
    for s in plan.storyboard.scenes:
        if s.narration:
            assert re.search(r"[\u4e00-\u9fff]", s.narration) and not re.search(r"[A-Za-z]{2,}", s.narration), s
    shown = [s for s in plan.storyboard.scenes if s.claim_source]
    assert shown, "the claim is carried on screen"
    point = int(shown[0].claim_source.split("[")[1].rstrip("]"))
    assert shown[0].on_screen_text.rstrip(".") in plan.product.selling_points[point]


def test_evidence_nouns_leave_out_body_parts_and_chinese_verbs():
    assert evidence_nouns(["My knees hurt after the long run. The knees again on the descent."], ["knees"],
                          "en") == []
    zh = evidence_nouns(["面包出炉了，面包真好吃。", "今天的面包出炉很早，好吃。"], ["出炉", "好吃", "面包"], "zh")
    assert "面包" in zh and "出炉" not in zh and "好吃" not in zh


def _notes_history(folder: Path, user: str, notes: list[tuple[str, str]]):
    """A Qilin-style CSV of text-only notes for one person, read back as the studio reads an upload."""
    import csv

    from nextads_studio.library.loading import read_any

    path = folder / f"{user}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"])
        for k, (title, text) in enumerate(notes):
            w.writerow([user, "", "", f"{user}_{k}", title, text, ""])
    return read_any(path)[user]


BIRDER_NOTES = [
    ("Spotted a redstart at the reservoir",
     "Two hours in the hide at dawn, finally a common redstart on the willow. Flask of tea, notebook full."),
    ("Birding list: 61 species this year",
     "Added a little egret and a kingfisher on the canal walk. Need better glass for the far bank."),
    ("Estuary count", "Counted 200 knots on the estuary with borrowed binoculars, the fog made it hard."),
    ("Finished my first cabled jumper", "Knitting the cables took all winter, merino in forest green."),
    ("Sock yarn haul", "Three skeins of hand-dyed sock yarn from the fibre fair, already casting on."),
    ("Sourdough, day 3 of the starter", "Fed the starter twice, the crumb on the test loaf was tight."),
    ("Weekend bake: seeded rye", "Seeded rye with a long cold proof, the kitchen smells amazing."),
]


def test_one_flask_of_tea_does_not_make_a_birder_a_coffee_drinker(director, trial, plan_dir, tmp_path):
    """A birder mentions tea once in three birding notes: the interest is named by her own word and the
    binoculars ad is framed by birding and her notes' nouns, never a cup or a counter (it read as 'coffee')."""
    _assert_birding_ad(director, trial, plan_dir, tmp_path, "u_ines", BIRDER_NOTES, r"coffee|tea|cup|counter|brew",
                       {"the estuary", "the redstart", "the common redstart", "the willow", "the hide",
                        "the reservoir", "the canal walk", "the kingfisher"})


def _assert_birding_ad(director, trial, plan_dir, tmp_path, user, notes, banned, own_nouns):
    """The binoculars ad for a birder made of `notes`: themed 'birding', none of the `banned` words spoken or shown,
    at least one of her `own_nouns` used as a personal cue, and lint-clean."""
    person = _notes_history(tmp_path, user, notes)
    products, _ = trial
    plan = director.plan(person, products["kestrel-8x42-binoculars"], duration=15, out_dir=plan_dir / user)
    assert plan.match.chosen_theme == "birding", plan.match.reason
    text = " ".join(_spoken_and_shown(plan)).lower()
    assert not re.search(rf"\b({banned})\b", text), text
    cues = {c for s in plan.storyboard.scenes for c in s.personalization_used}
    assert cues & own_nouns, cues
    assert lint_plan(plan) == []


SAILOR_NOTES = [
    ("Reefed early, glad we did", "Sailing out of the harbour at 7, wind picked up to 22 knots by noon. Reefed the "
                                  "main and the dinghy crew loved it."),
    ("Tide tables are my new hobby", "Planning the passage around the headland means reading tide tables every "
                                     "evening. Slack water at 14:20."),
    ("Club regatta, third place", "Third in the club regatta, sailing a borrowed Laser. The start line was chaos."),
    ("Chess club opening prep", "Been studying the Caro-Kann for the chess club league. Lost twice, learned a lot."),
    ("Blitz chess at the pub", "Blitz chess night at the pub, won four games in a row with the London system."),
    ("Jazz record fair", "Found a first pressing at the jazz record fair. The vinyl crackles but the trumpet is great."),
    ("Anchored in the bay", "Anchored overnight in the bay, sailing home at dawn with a flask of coffee and no wind."),
]


def test_interests_no_lexicon_topic_knows_are_named_by_the_persons_own_word(director, tmp_path):
    """Sailing and chess are in no topic list: they are named 'sailing' and 'chess' (not 'reading' because one
    note reads tide tables, not 'opening' because of a chess opening), and a sailing watch is never framed as a
    study session at a desk."""
    from PIL import Image, ImageDraw

    from nextads_studio.schemas.product import Product

    person = _notes_history(tmp_path, "u_oskar", SAILOR_NOTES)
    themes = {i.theme for i in director.build_profile(person).interests}
    assert {"sailing", "chess"} <= themes, themes
    img = Image.new("RGB", (400, 400), (236, 238, 242))
    ImageDraw.Draw(img).ellipse((100, 100, 300, 300), fill=(30, 60, 110))
    img.save(tmp_path / "watch.png")
    watch = Product(product_id="tidemark", images=[str(tmp_path / "watch.png")], name="Tidemark", brand="Harbourline", category="electronics",
                    subcategory="sailing watch", slogan="Know the water.", keywords=["sailing", "tide", "regatta"],
                    selling_points=["Tide graph for 3,000 ports on your wrist", "Regatta countdown with a haptic start"],
                    facts={"price": "$349", "battery": "14 days"})
    plan = director.plan(person, watch, duration=15, out_dir=tmp_path / "plan")
    assert plan.match.chosen_theme == "sailing", plan.match.reason
    text = " ".join(_spoken_and_shown(plan)).lower()
    assert not re.search(r"\b(study|desk|reading|focus|coffee|cup)\b", text), text
    assert "sailing" in {c for s in plan.storyboard.scenes for c in s.personalization_used}
    assert lint_plan(plan) == []


POTTER_NOTES = [
    ("Centred 2 kg on the wheel", "Finally centred two kilos of stoneware on the wheel without it wobbling. Pottery "
                                  "class on Tuesdays is my happy place."),
    ("Glaze test tiles", "Made twelve glaze test tiles for the studio kiln, the celadon came out cloudy."),
    ("Trimming bowls", "Trimming foot rings on six bowls, clay dust everywhere, my jeans are ruined again."),
    ("Throwing tall cylinders", "Throwing tall cylinders is humbling. Pottery teaches patience."),
    ("Sunday gravel loop", "Cycling the 60 km gravel loop with the club, flat tyre at km 40."),
    ("New bike fit", "Got a proper bike fit, cycling feels smoother and my knees thank me."),
]


def test_a_word_written_only_at_sentence_starts_still_names_the_interest_and_the_ad_says_it(director, tmp_path):
    """'Pottery' opens both sentences it is in (capitalised, yet not a name): the interest is 'pottery', not
    'pottery & glaze test tiles', and the apron ad speaks of it (it had no personal line at all)."""
    from PIL import Image, ImageDraw

    from nextads_studio.schemas.product import Product

    person = _notes_history(tmp_path, "u_rhea", POTTER_NOTES)
    img = Image.new("RGB", (400, 400), (243, 241, 236))
    ImageDraw.Draw(img).polygon([(150, 60), (250, 60), (320, 360), (80, 360)], fill=(188, 120, 70))
    img.save(tmp_path / "apron.png")
    apron = Product(product_id="throwline-apron", name="Throwline Apron", brand="Kilnhouse", category="retail",
                    subcategory="pottery apron", keywords=["pottery", "ceramics", "apron"],
                    images=[str(tmp_path / "apron.png")],
                    selling_points=["Split legs sit comfortably at the wheel", "Waxed canvas wipes clean of slip"],
                    facts={"price": "$68"})
    plan = director.plan(person, apron, duration=15, out_dir=tmp_path / "plan")
    assert plan.match.chosen_theme == "pottery", plan.match.reason
    assert "pottery" in {c for s in plan.storyboard.scenes for c in s.personalization_used}
    assert lint_plan(plan) == []


# lines that say the product eases the person's activity, or was made for it and their people
_SERVICE_CLAIM = re.compile(r"\b(easier|hassle|chores?|sorted|before and after|before / after|made for|in mind|"
                            r"more time for|built for|love this|ready for|ready when you (?!are))", re.I)
_AMARA = [("Monstera finally split a leaf", "Eighteen months of patience and the monstera by the window gave me its "
           "first fenestrated leaf. Repotted the pothos too."),
          ("Wet-on-wet skies", "Tried wet-on-wet watercolour skies tonight with ultramarine and a touch of rose."),
          ("Sunday slow flow", "45 minutes of slow flow yoga, pigeon pose held longer than ever."),
          ("Propagation station", "Six pothos cuttings rooting in jars on the shelf. Houseplants make the flat feel "
           "alive."),
          ("Painting the fern", "Loose watercolour study of my fern. Painting plants I grew is the best feeling."),
          ("Repotting day", "Repotted the calathea and the snake plant, new terracotta pots for the shelf.")]


def _throw_and_houseplant_keeper(tmp_path):
    import csv

    from PIL import Image

    from nextads_studio.library.loading import read_any
    from nextads_studio.schemas.product import Product

    Image.new("RGB", (400, 400), (196, 148, 112)).save(tmp_path / "throw.jpg")
    throw = Product(product_id="loom-throw", name="Fieldlinen Throw", brand="Hearth & Loom", category="retail",
                    subcategory="home textiles", slogan="Soft on slow days.",
                    intro="A stonewashed linen throw, 130 x 170 cm.",
                    selling_points=["Stonewashed linen that softens with every wash",
                                    "Generous 130 x 170 cm for sofa or bed", "Machine washable at 40 C"],
                    facts={"price": "$89"}, keywords=["linen", "throw", "blanket", "home", "sofa"],
                    images=[str(tmp_path / "throw.jpg")])
    with open(tmp_path / "history.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"])
        w.writerows([("u_amara", "female", "34", str(900 + i), t, c, "") for i, (t, c) in enumerate(_AMARA)])
    return throw, read_any(tmp_path / "history.csv")["u_amara"]


def test_a_throw_is_never_said_to_make_a_houseplant_keepers_gardening_easier(director, plan_dir, tmp_path):
    """A product that only sits beside an interest in the person's life keeps the personal cues but never claims
    to ease the activity or to be made for its people ('Gardening, minus the hassle. / No more chores' sold a
    linen throw); and an ad says the product's name aloud at least once."""
    throw, person = _throw_and_houseplant_keeper(tmp_path)
    previous = []
    for k in range(4):
        plan = director.plan(person, throw, duration=15, previous_plans=previous, out_dir=plan_dir / f"throw-{k}")
        previous.append(plan)
        assert not plan.match.fallback_generic and lint_plan(plan) == []
        lines = _spoken_and_shown(plan)
        assert not [t for t in lines if _SERVICE_CLAIM.search(t)], lines
        assert any("Fieldlinen Throw" in s.narration for s in plan.storyboard.scenes), lines
        assert [c for s in plan.storyboard.scenes for c in s.personalization_used], "still personal"


def test_a_product_serves_an_interest_of_its_own_field_not_one_it_mentions_in_passing(library, tmp_path):
    from nextads_studio.director.copy.engine import serves_interest
    from nextads_studio.director.copy.lexicon import EN, Forms

    drill, throw = library.get("torquemax-drill"), _throw_and_houseplant_keeper(tmp_path)[0]
    assert serves_interest(drill, "woodworking", EN["woodworking"])
    assert not serves_interest(drill, "gaming", EN["gaming"])  # one passing word in its text
    assert not serves_interest(throw, "gardening", EN["gardening"])
    apron = drill.model_copy(update={"name": "Throwline Apron", "keywords": ["pottery", "apron"]})
    assert serves_interest(apron, "own:pottery", Forms("pottery", "", "", "", ""))
    assert not serves_interest(throw, "own:pottery", Forms("pottery", "", "", "", ""))


def test_social_proof_is_said_only_from_the_records_evidence(library):
    """No invented popularity: 'Here is what people ask for' was a line with nothing behind it. The social-proof
    framework runs only for a product whose record carries evidence (a rating, reviews, users), and its proof
    scene says that evidence."""
    from nextads_studio.director.copy.engine import copy_context, framework_order, write_scenes

    serum = library.get("dewlight-serum")
    plain = copy_context(serum)
    assert "social_proof" not in [f.name for f in framework_order("pcg", 7, [], plain)]
    rated = serum.model_copy(update={"facts": {**serum.facts, "rating": "4.8 stars from 2,300 reviews"}})
    ctx = copy_context(rated)
    order = [f.name for f in framework_order("pcg", 7, [], ctx)]
    assert "social_proof" in order
    chosen, scenes = write_scenes(ctx, [3.0, 3.0, 3.0, 3.0, 3.0], task="pcg", seed=7, framework="social_proof")
    assert chosen.name == "social_proof"
    assert "4.8" in scenes[1].narration + scenes[1].on_screen and scenes[1].claim_source == "facts.rating"


SPECIES_NOTES = [
    ("Dawn at the marsh", "Out at 5:40 for the spring migration. Counted 14 species before the mist lifted, a marsh "
                          "harrier hunting low."),
    ("Star party on the ridge", "Clear skies at last. Saw Saturn's rings through a friend's telescope and the "
                                "Andromeda galaxy by eye."),
    ("Beech wood loop", "12 km loop through the beech wood, woodpeckers drumming everywhere. Packed a flask of tea."),
    ("Grey heron at the weir", "Waited an hour at the weir for the heron to strike. Worth every cold minute."),
]


def test_a_birder_who_never_writes_birding_gets_a_birding_ad_not_a_woodworking_one(director, trial, plan_dir,
                                                                                    tmp_path):
    """Her notes name species and places (a marsh harrier, a heron, woodpeckers), never the word 'birding', and one
    walk is through a 'beech wood': the binoculars ad is framed by birding with her own nouns, and never as
    'your next build' (the bare word 'wood' made it woodworking, and the ad fell back to generic)."""
    _assert_birding_ad(director, trial, plan_dir, tmp_path, "u_ines2", SPECIES_NOTES,
                       r"build|workshop|woodwork\w*|coffee|tea|cup",
                       {"the marsh", "the marsh harrier", "the heron", "the woodpeckers", "the weir"})


def test_a_place_from_the_notes_is_somewhere_you_are_at_not_something_you_are_with(director, trial, plan_dir):
    """'Right there with the reservoir.' read wrong: a place takes 'at' (a walk or a trail 'on'), a thing or a bird
    keeps 'with'."""
    from nextads_studio.director.copy.engine import _with

    assert _with("the reservoir") == "at the reservoir" and _with("the canal walk") == "on the canal walk"
    assert _with("the tawny owl") == "with the tawny owl" and _with("苍鹭") == ""
    products, users = trial
    plan = director.plan(users["u_ravi"], products["kestrel-8x42-binoculars"], duration=15,
                         out_dir=plan_dir / "birder-at")
    text = " ".join(_spoken_and_shown(plan)).lower()
    assert not re.search(r"\bwith the (reservoir|estuary|marsh|lake|river|trail|weir)\b", text), text
