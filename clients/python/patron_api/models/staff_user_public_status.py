from enum import StrEnum

class StaffUserPublicStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    INVITED = "invited"

    def __str__(self) -> str:
        return str(self.value)
