"""Every stage implementation (offline, LLM, generative, fallback) offers its stage interface's methods with the
interface's parameters, so the campaign core can call any of them the same way."""

from __future__ import annotations

import inspect

import pytest

from nextads_studio import stages
from nextads_studio.backends.fallback import FallbackDirector
from nextads_studio.backends.generated import GenerativeProducer
from nextads_studio.backends.llm_director import LLMDirector
from nextads_studio.director import Director
from nextads_studio.producer import Producer
from nextads_studio.reflector import Reflector
from nextads_studio.verifier import Verifier

IMPLEMENTATIONS = [(stages.DirectorStage, Director), (stages.DirectorStage, LLMDirector),
                   (stages.DirectorStage, FallbackDirector), (stages.ProducerStage, Producer),
                   (stages.ProducerStage, GenerativeProducer), (stages.VerifierStage, Verifier),
                   (stages.ReflectorStage, Reflector)]


def _methods(protocol) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in vars(protocol).items()
            if callable(fn) and not name.startswith("_")}


@pytest.mark.parametrize(("protocol", "cls"), IMPLEMENTATIONS, ids=lambda x: getattr(x, "__name__", str(x)))
def test_implementation_has_the_interface(protocol, cls):
    for name, wanted in _methods(protocol).items():
        assert hasattr(cls, name), f"{cls.__name__} lacks {name}"
        have = inspect.signature(getattr(cls, name)).parameters
        for param in wanted.parameters:
            if param == "self":
                continue
            assert param in have or any(p.kind is p.VAR_KEYWORD for p in have.values()), \
                f"{cls.__name__}.{name} lacks parameter {param}"


def test_no_stage_passes_unknown_attributes_through():
    for _, cls in IMPLEMENTATIONS:
        assert "__getattr__" not in vars(cls), cls.__name__
