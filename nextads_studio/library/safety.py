"""Checks for files a person hands us: paths that stay inside their folder, real images, sane text."""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..errors import InputError

log = logging.getLogger(__name__)

MAX_IMAGE_PIXELS = 40_000_000  # 40 MP: far above any photo a note or product needs; above it is a decompression bomb
MAX_NOTE_CHARS = 4000  # notes longer than this are truncated for modelling (the reference cuts at 700)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_url(value: str) -> bool:
    """True for 'https://...', 'ftp://...' and similar."""
    return bool(_URL.match(value.strip()))


def resolve_within(root: Path | str, relative: str, where: str = "") -> Path:
    """Resolve `relative` against `root`; refuse absolute paths, '..' and symlinks that leave `root`."""
    prefix = f"{where}: " if where else ""
    if is_url(relative):
        raise InputError(f"{prefix}{relative[:80]!r} is a URL; download the file and give its local path instead")
    if Path(relative).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", relative):
        raise InputError(f"{prefix}absolute path {relative!r} is not allowed here; use a path relative to the file's folder")
    base = Path(root).resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise InputError(f"{prefix}path {relative!r} points outside the folder {base.name!r}; keep files inside it")
    return target


def resolve_path(root: Path | str, value: str, where: str, allow_absolute: bool) -> Path:
    """Resolve a path from an imported file: relative to its folder, absolute only where the caller allows it."""
    value = value.strip()
    if not value:
        raise InputError(f"{where}: empty path")
    if allow_absolute and Path(value).is_absolute():
        return Path(value).resolve()
    return resolve_within(root, value, where)


def check_image(path: Path | str, where: str = "", full: bool = True, shown: str | None = None) -> tuple[int, int]:
    """Open an image and return its size; raise InputError for missing, non-image, bomb-sized or broken files.
    `shown` is the path as the person wrote it (named in the message instead of where it was resolved to: an
    upload's staging folder means nothing to them)."""
    path = Path(path)
    label = f"{where}: " if where else ""
    if not path.is_file():
        if shown is not None:
            raise InputError(f"{label}image not found: {shown} (not among the files given with it)")
        raise InputError(f"{label}image not found: {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                size = img.size
                if size[0] * size[1] > MAX_IMAGE_PIXELS:
                    raise InputError(
                        f"{label}{path.name} is {size[0]}x{size[1]} pixels, over the {MAX_IMAGE_PIXELS // 1_000_000} MP "
                        "limit (possible decompression bomb); resize it first")
                if full:
                    img.load()
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(f"{label}{path.name} is too large to decode safely ({exc}); resize it first") from None
    except UnidentifiedImageError:
        raise InputError(f"{label}{path.name} is not an image Pillow can read (is it really a JPEG/PNG?)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{label}{path.name} is damaged or truncated ({exc}); export it again") from None
    return size


def clean_text(text: object, where: str, limit: int = MAX_NOTE_CHARS) -> str:
    """Normalise imported text (NFC, no control characters); truncate over-long text with a warning."""
    if text is None:
        return ""
    if not isinstance(text, str):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        else:
            raise InputError(f"{where}: expected text, got {type(text).__name__}")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if len(text) > limit:
        log.warning("%s: text has %d characters; kept the first %d for modelling", where, len(text), limit)
        text = text[:limit]
    return text


def check_video(path: Path, where: str) -> None:
    """A cheap container check (no decoding): the file exists and starts like an MP4/MOV/WebM/MKV file."""
    if not path.is_file():
        raise InputError(f"{where}: video not found: {path}")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if b"ftyp" not in head[:12] and not head.startswith(b"\x1aE\xdf\xa3"):
        raise InputError(f"{where}: {path.name} is not an MP4/MOV/WebM video")
