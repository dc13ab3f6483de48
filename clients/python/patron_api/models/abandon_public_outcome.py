from enum import StrEnum

class AbandonPublicOutcome(StrEnum):
    ABANDONED = "abandoned"
    RECORDED = "recorded"

    def __str__(self) -> str:
        return str(self.value)
