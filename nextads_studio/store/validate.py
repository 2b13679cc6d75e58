"""Validate writes through the pydantic contracts (sqlmodel table models do not validate)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], value: Any, what: str) -> M:
    """`value` (a contract or a dict) checked by `model`; InputError names the first bad field."""
    try:
        data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(f"{what}: {where}: {first['msg']} ({exc.error_count()} problem(s))") from exc
