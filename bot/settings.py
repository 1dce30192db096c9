"""All settings in one model, read from the environment (and the command line's flags) in main()."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from retrieval import CorpusUnknown, QabotError, recorded_corpus

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class MissingToken(QabotError):
    """TELEGRAM_BOT_TOKEN 未设置:在 Telegram 里找 @BotFather 创建机器人,再 export TELEGRAM_BOT_TOKEN=它给的令牌。"""


class Settings(BaseSettings):
    """qabot's configuration. Environment: QABOT_CORPUS, QABOT_INDEX, TELEGRAM_BOT_TOKEN, ..."""

    # an empty value (TOKEN= in an environment file) counts as unset
    model_config = SettingsConfigDict(env_prefix="QABOT_", extra="ignore", populate_by_name=True, env_ignore_empty=True)

    corpus: Path = PROJECT_ROOT / "seeds"
    index: Path = PROJECT_ROOT / ".cache" / "index.sqlite"
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "telegram_api_base_url"),
    )
    telegram_api_file_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_API_FILE_URL", "telegram_api_file_url"),
        description="where files are downloaded from; unset: the base URL with its last /bot made /file/bot",
    )
    feedback: Path | None = Field(default=None, description="questions and ratings database; unset: beside the index")
    allowed_chats: Annotated[list[int] | None, NoDecode] = Field(
        default=None, description="chat ids (and user ids, for inline queries) allowed to use the bot; unset: everyone"
    )
    admins: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="user ids allowed to /reload, to add and remove documents, and to see /stats"
    )
    passages: int = Field(default=3, ge=1, le=10, description="passages in an answer")
    inline_results: int = Field(default=10, ge=1, le=50)
    webhook_url: str | None = Field(
        default=None,
        description="the public https URL Telegram posts updates to (behind a reverse proxy); unset: polling",
    )
    listen: str = Field(default="127.0.0.1", description="address the webhook and /healthz are served on")
    port: int = Field(default=8443, ge=1, le=65535, description="port the webhook and /healthz are served on")
    health: bool = Field(default=False, description="in polling mode too, serve /healthz on listen:port")

    @field_validator("allowed_chats", "admins", mode="before")
    @classmethod
    def _split_ids(cls, value):
        """Accept '123, -100456' as well as a JSON list."""
        if isinstance(value, str):
            value = value.strip().strip("[]")
            return [int(v) for v in value.replace(";", ",").split(",") if v.strip()] if value else None
        return value

    def token(self) -> str:
        """The bot token; raises MissingToken when it is not set."""
        if self.telegram_bot_token is None:
            raise MissingToken()
        return self.telegram_bot_token.get_secret_value()

    @property
    def file_url(self) -> str:
        """PTB's base_file_url: a self-hosted Bot API server (or the test stand-in) serves files beside methods."""
        if self.telegram_api_file_url:
            return self.telegram_api_file_url
        head, sep, tail = self.telegram_api_base_url.rpartition("/bot")
        return f"{head}/file/bot{tail}" if sep else self.telegram_api_base_url

    def settled(self) -> Settings:
        """These settings with the corpus folder decided: the one given (--corpus, QABOT_CORPUS), else the one the
        index was built from, else seeds/ for an index not built yet. An index that cannot say which folder it holds
        is never refreshed from seeds/ by default: that folder has to be named."""
        if "corpus" in self.model_fields_set:
            return self  # a folder other than the index's is refused when the index is opened (CorpusMismatch)
        held = recorded_corpus(self.index)
        if held is not None:
            return self.model_copy(update={"corpus": held})
        if self.index.exists():
            raise CorpusUnknown(str(self.index))
        return self

    @property
    def feedback_path(self) -> Path:
        return self.feedback or self.index.with_name("feedback.sqlite")
