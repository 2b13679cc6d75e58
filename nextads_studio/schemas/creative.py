"""What the Producer made: the files, how they were rendered, and their provenance."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Aspect, Contract


class RenderSettings(Contract):
    aspect: Aspect | None = Field(default=None, description="Defaults to the storyboard's aspect.")
    resolution: Literal[360, 480, 720, 1080] = Field(default=720, description="Short side in pixels.")
    quality: Literal["preview", "final"] = "preview"
    fps: Literal[30] = 30
    voice: bool = True
    music: bool = True


class Creative(Contract):
    plan_id: str
    plan_version: int = Field(ge=1)
    plan_hash: str = ""
    video_path: str
    srt_path: str | None = None
    integrated_path: str | None = Field(default=None, description="PCI: the host video with the segment.")
    segment_start: float | None = Field(default=None, description="PCI: where the segment starts in integrated.")
    contact_sheet_path: str | None = Field(default=None, description="One frame per second, labelled with times.")
    duration: float = Field(gt=0.0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    fps: float = 30.0
    sha256: str = ""
    settings: RenderSettings = Field(default_factory=RenderSettings)
    render_seconds: float = Field(default=0.0, ge=0.0)
    scene_hashes: list[str] = Field(default_factory=list)
    scenes_rerendered: list[int] = Field(default_factory=list, description="Scenes not served from the cache.")
    loudness_lufs: float | None = None
    ai_label: bool = True
    voice_engine: str = ""
    backend: str = "offline"
    asset_licenses: dict[str, str] = Field(default_factory=dict, description="Every asset and audio track used.")
