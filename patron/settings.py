"""Settings of the command line itself (``patron up``, ``patron import``, ``patron demo``), read from ``PATRON_*``."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommandLineSettings(BaseSettings):
    """What the ``patron`` command needs beyond the processes' own settings.

    ``database_url`` and ``nats_url`` read the same variables as every process, but with no default:
    ``patron up`` starts an embedded server for each one that is not set. An empty variable counts
    as unset.
    """

    model_config = SettingsConfigDict(env_prefix="PATRON_", extra="ignore", env_ignore_empty=True)

    data_dir: Path = Field(
        Path(".patron"),
        description="Where `patron up` keeps the embedded servers' data, the logs and what `patron status` reads.",
    )
    url: str | None = Field(
        None,
        description="Gateway that `patron import`, `imports` and `demo` call; unset: the one of `patron sign-in`, "
        "else the one the running `patron up` of the data folder started.",
    )
    access_token: SecretStr | None = Field(
        None,
        description="Access token `patron import`, `imports` and `demo` send instead of the `patron sign-in` one "
        "(for scripts).",
    )
    demo_data: Path | None = Field(
        None,
        description="Global Electronics folder `patron demo` imports instead of generating its demo retailer.",
    )
    database_url: str | None = Field(None, description="PostgreSQL `patron up` uses instead of its embedded one.")
    nats_url: str | None = Field(
        None,
        description="NATS server `patron up` uses instead of its embedded one; `patron events` reads it "
        "(unset: the NATS of the running `patron up`).",
    )
