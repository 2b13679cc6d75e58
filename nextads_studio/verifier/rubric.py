"""One rubric for every judge: what each judged dimension measures, the same words for the offline judge's
scorecard and the LLM/VLM judge's prompt, and the bands both score on."""

from __future__ import annotations

BANDS = "10 perfect, 7-9 good, 4-6 moderate, 1-3 poor, 0 none"

# dimension -> what it measures (a question for a model, a line for a person)
RUBRIC: dict[str, str] = {
    "personalization_content": "how specifically what the ad says and shows (the transcript and the on-screen "
                               "text) relates to this person's history items, rather than to anyone's interests",
    "personalization_presentation": "how close the ad's look (palette, brightness, saturation, warmth, pacing) is "
                                    "to the look of this person's history images and videos, rather than anyone's",
    "product_alignment": "whether the product is visible and recognisable in its scenes, named, its selling points "
                         "covered, and no claim goes beyond its facts",
    "integration_quality": "whether the inserted segment flows from the host video (colour, loudness, theme) and "
                           "the host resumes where it was cut, with no bars or dips to black",
    "diversity": "how different the person's ads are from each other (style, narrative, subject and scene)",
    "caption_legibility": "whether the captions are readable: contrast, size and time on screen against reading "
                          "speed",
    "context_alignment": "whether the segment's theme and palette fit the host video",
}

__all__ = ["BANDS", "RUBRIC"]
