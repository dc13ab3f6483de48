from enum import StrEnum

class RankOrder(StrEnum):
    BEST = "best"
    LEAST = "least"

    def __str__(self) -> str:
        return str(self.value)
