from enum import StrEnum

class RankBy(StrEnum):
    REVENUE = "revenue"
    UNITS = "units"

    def __str__(self) -> str:
        return str(self.value)
