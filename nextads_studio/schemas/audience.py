"""A person's interaction history: notes (Qilin-style) or videos (MicroLens-style)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Contract


class Note(Contract):
    note_idx: str = Field(min_length=1)
    title: str = ""
    content: str = ""
    image_paths: list[str] = Field(default_factory=list, description="Absolute, resolved by the importer.")
    time: float | None = Field(default=None, description="Unix time if known; otherwise order implies recency.")


class VideoItem(Contract):
    vid: str = Field(min_length=1)
    title: str = ""
    cover_path: str | None = None
    video_path: str | None = None


class UserHistory(Contract):
    """Items are oldest first; the last ones are the most recent."""

    user_id: str = Field(min_length=1)
    kind: Literal["notes", "videos"]
    gender: str | None = None
    age: str | None = None
    notes: list[Note] = Field(default_factory=list)
    videos: list[VideoItem] = Field(default_factory=list)
    host_video: VideoItem | None = Field(default=None, description="MicroLens layout: the last vid.")
    source: str | None = Field(default=None, description="The file or folder it was imported from.")

    @model_validator(mode="after")
    def _items_match_kind(self) -> UserHistory:
        if self.kind == "notes" and not self.notes:
            raise ValueError(f"user {self.user_id}: a note history needs at least one note")
        if self.kind == "videos" and not self.videos:
            raise ValueError(f"user {self.user_id}: a video history needs at least one video")
        return self


class FeedbackEvent(Contract):
    """One impression's online signals."""

    impression_id: str = Field(min_length=1)
    user_id: str | None = None
    plan_id: str | None = None
    plan_version: int | None = None
    watch_time: float = Field(ge=0.0)
    skip_time: float | None = Field(default=None, ge=0.0)
    replays: int = Field(default=0, ge=0)
    clicks: int = Field(default=0, ge=0)
    conversions: int = Field(default=0, ge=0)
    time: float | None = Field(default=None, description="Unix time of the impression.")
