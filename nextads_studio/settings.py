"""Settings from the environment (prefix NEXTADS_). See the README's configuration table."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_dir(name: str) -> Path:
    """The shipped folder next to the package (editable installs and the Docker image keep it there)."""
    shipped = PROJECT_ROOT / name
    return shipped if shipped.exists() else Path.cwd() / name


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEXTADS_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where plans, renders and the SQLite database live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default sqlite in data_dir.")
    host: str = "127.0.0.1"
    port: int = 7860
    library_dir: Path = Field(default_factory=lambda: _default_dir("product_library"))
    assets_dir: Path = Field(default_factory=lambda: _default_dir("assets"))

    director: str = Field(default="offline", description="Backend id for planning, e.g. openai:gpt-4o.")
    producer: str = Field(default="offline", description="Backend id for video, e.g. google:veo-3.1-fast.")
    judge: str = Field(default="offline", description="Backend id for the Verifier's judge.")
    embedder: str = "offline"
    speech: str = "offline"
    fallback_offline: bool = Field(default=True, description="Fall back to offline when a cloud backend fails.")
    openai_base_url: str | None = Field(default=None, description="Base URL of an openai-compatible server, "
                                        "with /v1 (e.g. http://localhost:8080/v1).")
    openai_timeout: float = Field(default=120.0, gt=0, description="Seconds per request to openai/openai-compatible.")
    openai_vision: str = Field(default="auto", description="Whether the openai-compatible model takes images: "
                               "auto (detect), on, off.")
    openai_structured: str = Field(default="auto", description="Structured output for openai-compatible: auto "
                                   "(probe once), json_schema, json_object or text.")
    openai_context: int = Field(default=0, ge=0, description="Context size of the openai-compatible server in "
                                "tokens; 0 asks the server. Inputs are trimmed to fit.")
    google_timeout: float = Field(default=120.0, gt=0, description="Seconds per request to the Gemini API.")
    llm_max_tokens: str = Field(default="", description="Output budget per LLM step: a number, or pairs like "
                                "storyboard=2500,judge=300 (defaults in backends/structured.py).")

    require_login: bool | None = Field(
        default=None, description="Force sign-in on/off; by default required when host is not loopback."
    )
    allowed_hosts: str = Field(default="", description="Extra host names the studio answers for, comma-separated "
                               "(the public name behind a reverse proxy).")
    session_hours: float = Field(default=12.0, gt=0, description="Sign-in sessions expire after this many hours.")
    max_upload_mb: int = 200
    seed: int = 7
    log_level: str = "INFO"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "studio.db"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def login_required(self) -> bool:
        if self.require_login is not None:
            return self.require_login
        return self.host not in {"127.0.0.1", "localhost", "::1"}
