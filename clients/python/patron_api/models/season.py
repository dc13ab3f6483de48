from enum import StrEnum

class Season(StrEnum):
    MONTH = "month"
    WEEKDAY = "weekday"

    def __str__(self) -> str:
        return str(self.value)
