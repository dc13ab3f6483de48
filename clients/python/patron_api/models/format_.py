from enum import StrEnum

class Format(StrEnum):
    CHART = "chart"
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
