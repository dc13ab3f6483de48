from enum import StrEnum

class BudgetsExportBudgetSharesGroupType0(StrEnum):
    LEVEL0 = "level0"
    PROMOTION = "promotion"
    RETENTION = "retention"

    def __str__(self) -> str:
        return str(self.value)
