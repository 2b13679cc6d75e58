"""Backend ids like "offline", "openai:gpt-4o", "local:/models/Qwen3-VL" mapped to adapter factories.

Built-in backends register exactly like third-party ones: `register(role, prefix, factory)`.
Factories import their SDKs lazily, so a missing optional SDK only matters when that backend is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InputError

Factory = Callable[[str, Any], Any]  # (model part of the id, settings) -> adapter
ROLES = ("director", "producer", "judge", "embedder", "speech")
_REGISTRY: dict[tuple[str, str], Factory] = {}
_DESCRIPTIONS: dict[tuple[str, str], str] = {}


def register(role: str, prefix: str, factory: Factory, description: str = "") -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {ROLES}")
    _REGISTRY[(role, prefix)] = factory
    _DESCRIPTIONS[(role, prefix)] = description


def split_id(backend_id: str) -> tuple[str, str]:
    prefix, _, model = backend_id.partition(":")
    return prefix.strip(), model.strip()


def resolve(role: str, backend_id: str, settings: Any = None) -> Any:
    """Build the adapter for a role from its id; raises InputError naming the known prefixes."""
    _load_builtins()
    prefix, model = split_id(backend_id)
    factory = _REGISTRY.get((role, prefix))
    if factory is None:
        known = sorted(p for r, p in _REGISTRY if r == role)
        raise InputError(f"unknown {role} backend {backend_id!r}; known prefixes: {', '.join(known)}")
    return factory(model, settings)


def registered(role: str | None = None) -> list[tuple[str, str, str]]:
    _load_builtins()
    return sorted((r, p, _DESCRIPTIONS[(r, p)]) for r, p in _REGISTRY if role in (None, r))


_LOADED = False


def _load_builtins() -> None:
    """Import the modules whose import registers the built-in backends."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib

    for module in ("offline", "cloud"):
        try:
            importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:  # a module not written yet must not break the others
            if exc.name != f"{__package__}.{module}":
                raise
