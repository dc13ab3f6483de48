from enum import StrEnum

class ServiceProgress(StrEnum):
    DONE = "done"
    PENDING = "pending"
    UNREACHABLE = "unreachable"

    def __str__(self) -> str:
        return str(self.value)
