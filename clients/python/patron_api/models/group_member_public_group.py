from enum import StrEnum

class GroupMemberPublicGroup(StrEnum):
    CONSISTENT = "consistent"
    PROMOTION = "promotion"
    RETENTION = "retention"

    def __str__(self) -> str:
        return str(self.value)
