from enum import StrEnum

class StaffInvitationPublicStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    INVITED = "invited"

    def __str__(self) -> str:
        return str(self.value)
