from enum import StrEnum

class RewardStatus(StrEnum):
    EXPIRED = "expired"
    REDEEMED = "redeemed"
    RESERVED = "reserved"
    USABLE = "usable"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
