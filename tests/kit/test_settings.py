"""Settings: the service's own prefix wins over the shared one, which wins over the default; production is strict."""

import os
import secrets

import pytest
from pydantic import ValidationError

from services.customer.settings import REQUEST_CONNECTIONS, CustomerSettings
from services.kit.settings import (
    DEVELOPMENT_DATABASE_URL,
    DEVELOPMENT_SECRET,
    PatronSettings,
    looks_random,
    secret_bits,
    settings_refusal,
)

STRONG_SECRET = "s7Gq2Lx9vPz4Kc1Nw8Rt3Hb6Yd0Mf5Ja-Ue_Wo"
PRODUCTION_DB = "postgresql://patron:pw@db.internal:5432/patron"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start each test from the defaults, whatever the machine running it has set."""
    for name in list(os.environ):
        if name.upper().startswith("PATRON_"):
            monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = CustomerSettings()
    assert settings.environment == "development"
    assert settings.database_url == DEVELOPMENT_DATABASE_URL
    assert settings.internal_secret.get_secret_value() == DEVELOPMENT_SECRET
    assert (settings.base_currency, settings.business_timezone) == ("USD", "UTC")
    assert settings.port == 8001  # the customer service's own default
    assert PatronSettings().port == 8000
    assert CustomerSettings.schema_name == "customer"


def test_the_shared_prefix_overrides_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", "postgresql://shared@127.0.0.1/shared")
    monkeypatch.setenv("PATRON_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("PATRON_PORT", "9100")
    settings = CustomerSettings()
    assert settings.database_url == "postgresql://shared@127.0.0.1/shared"
    assert settings.log_level == "DEBUG"
    assert settings.port == 9100


def test_the_service_prefix_overrides_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", "postgresql://shared@127.0.0.1/shared")
    monkeypatch.setenv("PATRON_CUSTOMER_DATABASE_URL", "postgresql://own@127.0.0.1/customer")
    monkeypatch.setenv("PATRON_BASE_CURRENCY", "GBP")
    monkeypatch.setenv("PATRON_CUSTOMER_BASE_CURRENCY", "eur")
    monkeypatch.setenv("PATRON_LOG_LEVEL", "DEBUG")
    settings = CustomerSettings()
    assert settings.database_url == "postgresql://own@127.0.0.1/customer"
    assert settings.base_currency == "EUR"
    assert settings.log_level == "DEBUG"  # not set for the service: the shared value still applies


def test_another_services_prefix_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_LOYALTY_DATABASE_URL", "postgresql://loyalty@127.0.0.1/loyalty")
    monkeypatch.setenv("PATRON_CUSTOMER_PORT", "9200")
    assert CustomerSettings().database_url == DEVELOPMENT_DATABASE_URL
    assert PatronSettings().port == 8000  # the shared settings do not read a service's prefix


def test_arguments_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_CUSTOMER_PORT", "9200")
    assert CustomerSettings(port=9300).port == 9300


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_ENVIRONMENT", "production")
    monkeypatch.setenv("PATRON_DATABASE_URL", PRODUCTION_DB)
    with pytest.raises(ValidationError, match="internal_secret"):
        CustomerSettings()
    with pytest.raises(ValidationError, match="32 characters"):
        CustomerSettings(internal_secret="short-but-not-the-default")


def test_production_refuses_the_development_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_CUSTOMER_ENVIRONMENT", "production")
    monkeypatch.setenv("PATRON_INTERNAL_SECRET", STRONG_SECRET)
    with pytest.raises(ValidationError, match="database_url"):
        CustomerSettings()


def test_production_accepts_real_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_ENVIRONMENT", "production")
    monkeypatch.setenv("PATRON_INTERNAL_SECRET", STRONG_SECRET)
    monkeypatch.setenv("PATRON_CUSTOMER_DATABASE_URL", PRODUCTION_DB)
    settings = CustomerSettings()
    assert (settings.environment, settings.database_url) == ("production", PRODUCTION_DB)
    assert STRONG_SECRET not in repr(settings)  # the secret is not printed


def test_development_tolerates_the_defaults() -> None:
    assert CustomerSettings(environment="test").internal_secret.get_secret_value() == DEVELOPMENT_SECRET


@pytest.mark.parametrize("currency", ["XYZ", "EURO", "US", "", "usd1", "€"])
def test_unknown_base_currency_is_refused(currency: str) -> None:
    with pytest.raises(ValidationError, match="base_currency"):
        CustomerSettings(base_currency=currency)


def test_base_currency_is_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_BASE_CURRENCY", " jpy ")
    assert CustomerSettings().base_currency == "JPY"


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "", "Europe/../../etc/passwd", "UTC+25"])
def test_unknown_time_zone_is_refused(timezone: str) -> None:
    with pytest.raises(ValidationError, match="business_timezone"):
        CustomerSettings(business_timezone=timezone)


def test_known_time_zones_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_BUSINESS_TIMEZONE", "Asia/Kolkata")
    assert CustomerSettings().business_timezone == "Asia/Kolkata"
    assert CustomerSettings(business_timezone="America/Sao_Paulo").business_timezone == "America/Sao_Paulo"


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ValidationError, match="environment"):
        CustomerSettings(environment="staging")


def test_the_customer_pool_must_hold_an_import_and_still_serve_requests() -> None:
    fits = CustomerSettings(import_loaders=4, database_pool_size=4 + 1 + REQUEST_CONNECTIONS)
    assert fits.database_pool_size == 7
    with pytest.raises(ValueError, match="PATRON_DATABASE_POOL_SIZE of at least 8"):
        CustomerSettings(import_loaders=5, database_pool_size=7)
    assert CustomerSettings().import_loaders + 1 + REQUEST_CONNECTIONS <= CustomerSettings().database_pool_size


def test_a_refused_setting_is_one_line_naming_its_variables(monkeypatch):
    monkeypatch.setenv("PATRON_CUSTOMER_PORT", "99999")
    with pytest.raises(ValidationError) as refused:
        CustomerSettings()
    line = settings_refusal(refused.value, CustomerSettings)
    assert line.startswith("PATRON_CUSTOMER_PORT or PATRON_PORT: ") and "65535" in line and "\n" not in line


def test_production_refusing_a_development_default_names_the_setting(monkeypatch):
    monkeypatch.setenv("PATRON_ENVIRONMENT", "production")
    monkeypatch.delenv("PATRON_INTERNAL_SECRET", raising=False)
    with pytest.raises(ValidationError) as refused:
        CustomerSettings(database_url="postgresql://db.internal/patron")
    assert settings_refusal(refused.value, CustomerSettings) == (
        "production refuses the development internal_secret: set PATRON_INTERNAL_SECRET"
    )


def test_production_secrets_must_look_random(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_ENVIRONMENT", "production")
    monkeypatch.setenv("PATRON_DATABASE_URL", PRODUCTION_DB)
    for weak in ["x" * 40, "ab" * 30, "CHANGE-ME-to-a-random-string-of-at-least-32-characters"]:
        with pytest.raises(ValidationError, match="random PATRON_INTERNAL_SECRET"):
            CustomerSettings(internal_secret=weak)
    for _ in range(200):  # what the docs, compose and deploy/smoke generate always passes
        strong = secrets.token_urlsafe(32)
        assert CustomerSettings(internal_secret=strong).internal_secret.get_secret_value() == strong
    assert looks_random(secrets.token_hex(32)) and looks_random(secrets.token_urlsafe(48))


def test_secret_bits_is_the_shannon_entropy_times_the_length() -> None:
    assert secret_bits("x" * 40) == 0
    assert secret_bits("ab" * 20) == pytest.approx(40.0)  # one bit per character
    assert secret_bits("abcd" * 10) == pytest.approx(80.0)  # two bits per character
