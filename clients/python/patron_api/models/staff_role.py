from enum import StrEnum

class StaffRole(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    CLERK = "clerk"
    MANAGER = "manager"

    def __str__(self) -> str:
        return str(self.value)
