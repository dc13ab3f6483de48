from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Fit")



@_attrs_define
class Fit:
    """ A stored fit: BG/NBD's r, α (``alpha``), a, b and Gamma-Gamma's p, q, γ (``gamma``), with each model's
    log-likelihood and whether its optimiser converged.

        Attributes:
            id (int):
            created_at (datetime.datetime):
            calibration_end (datetime.date):
            unit_days (int):
            customers (int):
            repeat_customers (int):
            r (float):
            alpha (float):
            a (float):
            b (float):
            bgnbd_log_likelihood (float):
            bgnbd_converged (bool):
            p (float):
            q (float):
            gamma (float):
            gamma_gamma_log_likelihood (float):
            gamma_gamma_converged (bool):
     """

    id: int
    created_at: datetime.datetime
    calibration_end: datetime.date
    unit_days: int
    customers: int
    repeat_customers: int
    r: float
    alpha: float
    a: float
    b: float
    bgnbd_log_likelihood: float
    bgnbd_converged: bool
    p: float
    q: float
    gamma: float
    gamma_gamma_log_likelihood: float
    gamma_gamma_converged: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        calibration_end = self.calibration_end.isoformat()

        unit_days = self.unit_days

        customers = self.customers

        repeat_customers = self.repeat_customers

        r = self.r

        alpha = self.alpha

        a = self.a

        b = self.b

        bgnbd_log_likelihood = self.bgnbd_log_likelihood

        bgnbd_converged = self.bgnbd_converged

        p = self.p

        q = self.q

        gamma = self.gamma

        gamma_gamma_log_likelihood = self.gamma_gamma_log_likelihood

        gamma_gamma_converged = self.gamma_gamma_converged


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "created_at": created_at,
            "calibration_end": calibration_end,
            "unit_days": unit_days,
            "customers": customers,
            "repeat_customers": repeat_customers,
            "r": r,
            "alpha": alpha,
            "a": a,
            "b": b,
            "bgnbd_log_likelihood": bgnbd_log_likelihood,
            "bgnbd_converged": bgnbd_converged,
            "p": p,
            "q": q,
            "gamma": gamma,
            "gamma_gamma_log_likelihood": gamma_gamma_log_likelihood,
            "gamma_gamma_converged": gamma_gamma_converged,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        calibration_end = datetime.date.fromisoformat(d.pop("calibration_end"))




        unit_days = d.pop("unit_days")

        customers = d.pop("customers")

        repeat_customers = d.pop("repeat_customers")

        r = d.pop("r")

        alpha = d.pop("alpha")

        a = d.pop("a")

        b = d.pop("b")

        bgnbd_log_likelihood = d.pop("bgnbd_log_likelihood")

        bgnbd_converged = d.pop("bgnbd_converged")

        p = d.pop("p")

        q = d.pop("q")

        gamma = d.pop("gamma")

        gamma_gamma_log_likelihood = d.pop("gamma_gamma_log_likelihood")

        gamma_gamma_converged = d.pop("gamma_gamma_converged")

        fit = cls(
            id=id,
            created_at=created_at,
            calibration_end=calibration_end,
            unit_days=unit_days,
            customers=customers,
            repeat_customers=repeat_customers,
            r=r,
            alpha=alpha,
            a=a,
            b=b,
            bgnbd_log_likelihood=bgnbd_log_likelihood,
            bgnbd_converged=bgnbd_converged,
            p=p,
            q=q,
            gamma=gamma,
            gamma_gamma_log_likelihood=gamma_gamma_log_likelihood,
            gamma_gamma_converged=gamma_gamma_converged,
        )


        fit.additional_properties = d
        return fit

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
