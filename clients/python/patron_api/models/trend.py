from enum import StrEnum

class Trend(StrEnum):
    LEAST = "least"
    TRENDING = "trending"

    def __str__(self) -> str:
        return str(self.value)
