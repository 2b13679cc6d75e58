"""The bench report says in plain words why NextAds does not beat GenericAds for a person, from the judge's evidence."""

from __future__ import annotations

from nextads_studio.schemas import JudgeScore
from nextads_studio.verifier.person import _contrast
from nextads_studio.verifier.table import why_not_better

IDS = [f"p{i}" for i in range(11)]


def score(mine: float, theirs: list[float], what: str = "text") -> JudgeScore:
    return _contrast(mine, theirs, IDS, what, "detail", absolute=(0.1, 0.5))


def test_an_ad_that_fits_other_people_as_well_names_them():
    others = [0.2] * 9 + [0.5, 0.3]
    line = why_not_better("u_maya", "personalization_content", score(0.45, others), score(0.45, [0.2] * 11))
    assert "fit p9 as well as u_maya" in line and "many people in the audience share" in line
    assert line.startswith("what the ad says: NextAds")


def test_a_tie_at_the_top_says_the_product_already_suits_the_person():
    line = why_not_better("u_aisha", "personalization_content", score(0.50, [0.3] * 11), score(0.49, [0.2] * 11))
    assert "Both ads fit u_aisha better than anyone else" in line and "generic ad is personal too" in line


def test_both_last_is_a_gap_not_a_win():
    nothing = score(0.1, [0.3] * 11, "style")
    line = why_not_better("u_sam", "personalization_presentation", nothing, nothing)
    assert line.startswith("how the ad looks:") and "both rank last of 12" in line and "not a GenericAds win" in line
