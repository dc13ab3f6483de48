"""The stored lifetime value fits: one row per fit, its calibration, the customers it was fitted on and the
fitted parameters of both models. Predictions are computed from a fit when they are asked for."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    Identity,
    Index,
    Integer,
    Table,
    text,
)

from services.analytics.base import Table as Base

metadata = Base.metadata

clv_fit = Table(
    "clv_fit",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("calibration_end", Date, nullable=False),  # purchases on or before it were fitted on
    Column("unit_days", Integer, nullable=False),  # the time unit, in days (7: weeks)
    Column("customers", BigInteger, nullable=False),  # customers with a purchase on or before calibration_end
    Column("repeat_customers", BigInteger, nullable=False),  # of them, those with a repeat purchase day
    # BG/NBD: purchases while alive ~ Poisson(λ), λ ~ gamma(r, α); dropout after a purchase ~ p, p ~ beta(a, b)
    Column("r", Double, nullable=False),
    Column("alpha", Double, nullable=False),
    Column("a", Double, nullable=False),
    Column("b", Double, nullable=False),
    Column("bgnbd_log_likelihood", Double, nullable=False),
    Column("bgnbd_converged", Boolean, nullable=False),
    # Gamma-Gamma: spend ~ gamma(p, ν), ν ~ gamma(q, γ); fitted on the repeat customers
    Column("p", Double, nullable=False),
    Column("q", Double, nullable=False),
    Column("gamma", Double, nullable=False),
    Column("gamma_gamma_log_likelihood", Double, nullable=False),
    Column("gamma_gamma_converged", Boolean, nullable=False),
    CheckConstraint("unit_days >= 1", name="unit_days_positive"),
    Index("ix_clv_fit_created", "created_at", "id"),
)
