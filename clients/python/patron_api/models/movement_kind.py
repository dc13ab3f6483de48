from enum import StrEnum

class MovementKind(StrEnum):
    ADJUSTMENT = "adjustment"
    CANCELLATION = "cancellation"
    RESTOCK = "restock"
    RETURN = "return"
    SALE = "sale"

    def __str__(self) -> str:
        return str(self.value)
