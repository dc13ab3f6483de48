from enum import StrEnum

class TargetMode(StrEnum):
    PERCENT = "percent"
    VALUE = "value"

    def __str__(self) -> str:
        return str(self.value)
