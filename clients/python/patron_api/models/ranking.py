from enum import StrEnum

class Ranking(StrEnum):
    ORDERS = "orders"
    REVENUE = "revenue"

    def __str__(self) -> str:
        return str(self.value)
