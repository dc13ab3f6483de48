from enum import StrEnum

class Scheme(StrEnum):
    GCM = "gcm"
    LEGACY = "legacy"

    def __str__(self) -> str:
        return str(self.value)
