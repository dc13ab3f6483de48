from enum import StrEnum

class PurchaseStatus(StrEnum):
    CANCELLED = "cancelled"
    RECORDED = "recorded"

    def __str__(self) -> str:
        return str(self.value)
