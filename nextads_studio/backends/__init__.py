"""Role interfaces and the backend registry."""

from .base import CallRecord, Embedder, Judge, Speech, TextModel, Usage, VideoModel
from .registry import register, registered, resolve

__all__ = ["CallRecord", "Embedder", "Judge", "Speech", "TextModel", "Usage", "VideoModel", "register",
           "registered", "resolve"]
