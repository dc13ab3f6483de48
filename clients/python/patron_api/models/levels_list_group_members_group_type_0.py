from enum import StrEnum

class LevelsListGroupMembersGroupType0(StrEnum):
    CONSISTENT = "consistent"
    PROMOTION = "promotion"
    RETENTION = "retention"

    def __str__(self) -> str:
        return str(self.value)
