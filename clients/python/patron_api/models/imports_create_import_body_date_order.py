from enum import StrEnum

class ImportsCreateImportBodyDateOrder(StrEnum):
    DAY_FIRST = "day-first"
    MONTH_FIRST = "month-first"
    YEAR_FIRST = "year-first"

    def __str__(self) -> str:
        return str(self.value)
