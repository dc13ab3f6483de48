from enum import StrEnum

class WalletEntryKind(StrEnum):
    ADJUST = "adjust"
    EARN = "earn"
    EXPIRE = "expire"
    REFUND = "refund"
    SPEND = "spend"

    def __str__(self) -> str:
        return str(self.value)
