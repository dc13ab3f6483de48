from enum import StrEnum

class RewardDimension(StrEnum):
    CATEGORY = "category"
    PRODUCT = "product"

    def __str__(self) -> str:
        return str(self.value)
