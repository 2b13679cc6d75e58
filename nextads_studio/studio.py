"""Composition root: settings -> backends -> store -> stages. Heavy models load once, on first use."""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .settings import Settings

if TYPE_CHECKING:
    from .campaign import Brief, Campaign
    from .library import ProductLibrary
    from .schemas import Product, UserHistory, UserProfile
    from .stages import DirectorStage, ProducerStage, ReflectorStage, VerifierStage
    from .store import Store

log = logging.getLogger(__name__)


class Studio:
    """Everything the CLI and the UI need, built once per process and shared by worker threads."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Studio:
        return cls(settings)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    # --- backends -------------------------------------------------------------------------------
    def backend(self, role: str, backend_id: str | None = None) -> Any:
        from .backends.registry import resolve

        return resolve(role, backend_id or getattr(self.settings, role), self.settings)

    @cached_property
    def embedder(self) -> Any:
        return self.backend("embedder")

    # --- data -----------------------------------------------------------------------------------
    @cached_property
    def library(self) -> ProductLibrary:
        from .library import ProductLibrary

        return ProductLibrary.load(self.settings.library_dir, extra_dirs=[self.settings.data_dir / "library"])

    @cached_property
    def audience(self) -> dict[str, UserHistory]:
        from .library import load_audience

        return load_audience(self.settings.assets_dir / "audience", extra_dirs=[self.settings.data_dir / "audience"])

    @cached_property
    def store(self) -> Store:
        from .store import Store

        return Store.open(self.settings)

    # --- stages ---------------------------------------------------------------------------------
    @cached_property
    def director(self) -> DirectorStage:
        from .director import Director

        if self.settings.director == "offline":
            return Director.from_studio(self)
        from .backends.fallback import FallbackDirector
        from .backends.llm_director import LLMDirector

        return FallbackDirector(self.settings.director, lambda: LLMDirector.from_studio(self),
                                lambda: Director.from_studio(self), self.settings.fallback_offline)

    @cached_property
    def producer(self) -> ProducerStage:
        from .producer import Producer

        if self.settings.producer == "offline":
            return Producer.from_studio(self)
        from .backends.generated import GenerativeProducer

        return GenerativeProducer(Producer.from_studio(self), lambda: self.backend("producer"),
                                  cache_dir=self.data_dir / "cache" / "generated",
                                  fallback=self.settings.fallback_offline)

    @cached_property
    def verifier(self) -> VerifierStage:
        from .verifier import Verifier

        return Verifier.from_studio(self)

    @cached_property
    def reflector(self) -> ReflectorStage:
        from .reflector import Reflector

        return Reflector.from_studio(self)

    def profile(self, history: UserHistory) -> UserProfile:
        """The person's profile (interest tiers, style, palette) as the Director reads their history."""
        return self.director.build_profile(history)

    # --- campaigns ------------------------------------------------------------------------------
    def new_campaign(self, history: UserHistory | None, product: Product, brief: Brief | None = None,
                     author: str = "") -> Campaign:
        """A new stored campaign for this person (None: a generic ad) and product; plan it with `.plan()`."""
        from .campaign import Campaign

        return Campaign.create(self, history, product, brief, author)

    def open_campaign(self, campaign_id: int) -> Campaign:
        """A stored campaign as it was left: latest version, its creative, verdict and open proposals."""
        from .campaign import Campaign

        return Campaign.open(self, campaign_id)
