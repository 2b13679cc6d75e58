"""The studio UI: build_app(studio) -> gr.Blocks. It renders Studio calls; it holds no business logic."""

from .app import allowed_paths, build_app, launch, launch_kwargs

__all__ = ["allowed_paths", "build_app", "launch", "launch_kwargs"]
