"""Personal objects for '{object}' slots ("Picture the ridge trail.", "Right there with the headlamp."): the
person's own concrete noun phrases, compounds included, ranked by how characteristic they are, and never a name,
a place, a sensitive word, a person or a fragment that ends in an adjective or a verb."""

from __future__ import annotations

import re

import pytest

from nextads_studio.director.profile import evidence_nouns


def test_a_trail_runners_objects_are_her_own_gear_and_places_not_generic_running(profiles):
    running = next(i for i in profiles["u_maya"].interests if i.theme == "running")
    compounds = {"the ridge trail", "the rock plate", "the aid station", "the ridge loop", "the fire lookout",
                 "the scree section", "the training run"}
    assert set(running.objects) & compounds, running.objects
    assert "the headlamp" in running.objects, running.objects
    assert running.objects[0] in compounds, "a specific compound leads, not a bare generic head"
    for obj in running.objects:  # never the place she raced ('Pine Hollow', 'Cedar Ridge') nor a body part
        assert not re.search(r"hollow|cedar|pine|knee|quad|hand|coach", obj), obj


ADVERSARIAL = [
    "Trailhead meetup\nMet Sarah at the Pine Hollow trailhead before sunrise. Sarah brought the thermos.",
    "Last race of the year\nKept something for the final. The final climb was brutal, the final was muddy.",
    "Rest week\nMy therapist said the rest helps. The therapist also said to sleep more. My coach agreed.",
    "Gear\nThe new trail shoes are great. Watched the light hit the peaks. The tarp held and the train rolls on.",
    "Recovery\nBack at the clinic for my anxiety, the clinic again on Monday. Sarah drove me to the clinic.",
    "Loop\nDid the full ridge loop with @sarah.runs and the full crew from the Pine Hollow club.",
]


@pytest.mark.parametrize("phrases", [[], ["final", "therapist", "clinic", "full", "sarah"]])
def test_names_places_people_care_and_fragments_never_become_objects(phrases):
    objects = evidence_nouns(ADVERSARIAL, phrases, "en", topics=["fitness", "outdoor"])
    assert "the ridge loop" in objects and "the trail shoes" in objects, objects
    joined = " ".join(objects)
    for bad in ("sarah", "pine", "hollow", "therapist", "clinic", "anxiety", "coach", "final", "full", "light hit",
                "held", "rolls", "runs", "monday"):
        assert not re.search(rf"\b{bad}\b", joined), (bad, objects)
    for obj in objects:  # reads after "Picture ...": 'the' and one or two lower-case words
        assert re.fullmatch(r"the [a-z-]+( [a-z-]+)?", obj), obj


def test_a_compound_outranks_its_bare_head_and_a_passing_word_is_left_out():
    texts = ["Ridge day\nRan the ridge trail at dawn. The trail was icy near the top.",
             "Again\nBack on the ridge trail, the trail dry this time. Saw the view.",
             "Gear\nThe rock plate saved my feet on the scree. Bought a spare buff."]
    objects = evidence_nouns(texts, [], "en", topics=["outdoor"])
    assert objects[0] == "the ridge trail" and "the trail" not in objects, objects
    assert "the rock plate" in objects and "the view" not in objects and "the buff" not in objects, objects
