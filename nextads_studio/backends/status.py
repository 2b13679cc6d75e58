"""What each registered backend needs and whether this machine has it (SDKs, keys, model folders).

Never reports a key's value, only the variable's name and whether it is set.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from .registry import ROLES, registered, split_id

# prefix -> (python modules, env vars of which one must be set, needs a model folder)
NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {
    "openai": (("httpx",), ("OPENAI_API_KEY",), None),
    "openai-compatible": (("httpx",), ("NEXTADS_OPENAI_BASE_URL",), None),
    "google": (("httpx",), ("GEMINI_API_KEY", "GOOGLE_API_KEY"), None),
    "local": (("torch", "transformers"), (), "config.json"),
    "local-diffusers": (("torch", "diffusers", "accelerate"), (), "model_index.json"),
    "offline": ((), (), None),
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def backend_states(settings: Any) -> dict[str, Any]:
    """{"selected": {role: id}, "backends": [{role, prefix, description, sdk, keys, folder, ready}]}."""
    selected = {role: str(getattr(settings, role, "offline")) for role in ROLES}
    rows = []
    for role, prefix, description in registered():
        modules, keys, marker = NEEDS.get(prefix, ((), (), None))
        sdk = {m: _installed(m) for m in modules}
        env = {k: bool(os.environ.get(k) or (k == "NEXTADS_OPENAI_BASE_URL" and settings.openai_base_url))
               for k in keys}
        row: dict[str, Any] = {"role": role, "prefix": prefix, "description": description,
                               "selected": split_id(selected[role])[0] == prefix, "sdk": sdk,
                               "keys": env}
        ready = all(sdk.values()) and (not keys or any(env.values()))
        if marker:
            folder = split_id(selected[role])[1] if row["selected"] else ""
            found = bool(folder) and (Path(folder).expanduser() / marker).is_file()
            row["model_folder"] = {"path": folder or None, "found": found}
            ready = ready and found
        row["ready"] = ready
        rows.append(row)
    return {"selected": selected, "fallback_offline": bool(getattr(settings, "fallback_offline", True)),
            "backends": rows}


CHECKABLE = ("openai", "openai-compatible")


def check_backends(settings: Any, roles: tuple[str, ...] = ("director", "judge")) -> dict[str, Any]:
    """One small live request per configured LLM backend: reachable, model known, vision, structured output,
    context, latency. Offline backends need no check; each distinct backend is contacted once."""
    from ..errors import BackendUnavailable, InputError
    from .openai_text import OpenAITextModel
    from .retry import RetryPolicy

    checks: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    for role in roles:
        backend_id = str(getattr(settings, role, "offline"))
        prefix, model = split_id(backend_id)
        if backend_id in seen:
            checks.append({**seen[backend_id], "role": role})
            continue
        row: dict[str, Any] = {"role": role, "backend": backend_id}
        if prefix == "offline":
            row.update(ok=True, note="offline: runs on this machine, nothing to contact")
        elif prefix not in CHECKABLE:
            row.update(ok=None, note=f"no live check for {prefix}: backends yet; `nextads backends` shows its needs")
        else:
            timeout = min(15.0, float(getattr(settings, "openai_timeout", 15.0) or 15.0))
            try:
                adapter = OpenAITextModel.from_settings(model, settings, compatible=prefix == "openai-compatible",
                                                        policy=RetryPolicy(attempts=1, timeout=timeout))
            except (BackendUnavailable, InputError) as exc:
                row.update(ok=False, error=str(exc))
            else:
                row.update(adapter.check())
                row["backend"] = backend_id
        seen[backend_id] = row
        if role == "judge" and row.get("vision") == "no":  # a judge must see the ad
            row = {**row, "ok": False, "hint": "this model takes no images, so it cannot judge a video: serve a "
                                                 "vision model (llama-server --mmproj) or set NEXTADS_JUDGE=offline"}
        checks.append(row)
    return {"checks": checks, "ok": all(c.get("ok") is not False for c in checks)}


CHECK_COLUMNS = ["Role", "Backend", "Reachable", "Model known", "Vision", "Structured output", "Context",
                 "Latency (s)", "Notes / what to do"]


def check_rows(result: dict[str, Any]) -> list[list[Any]]:
    """`check_backends` as table rows for the studio's Backends panel (same facts as `nextads backends --check`)."""
    def yes_no(value: Any) -> str:
        return {True: "yes", False: "no", None: "-"}.get(value, str(value))

    rows = []
    for c in result["checks"]:
        todo = c.get("hint") or c.get("error") or c.get("note") or c.get("model_note") or ""
        if c.get("notes"):
            todo = "; ".join([todo, *c["notes"]]).strip("; ")
        rows.append([c["role"], c["backend"], yes_no(c.get("reachable")), yes_no(c.get("model_known")),
                     c.get("vision", "-"), c.get("structured_output", "-"), c.get("context_tokens") or "-",
                     c.get("latency_s", "-"), todo])
    return rows
