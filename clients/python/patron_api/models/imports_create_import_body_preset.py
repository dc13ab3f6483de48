from enum import StrEnum

class ImportsCreateImportBodyPreset(StrEnum):
    GLOBAL_ELECTRONICS = "global-electronics"
    MINIMAL = "minimal"
    PATRON = "patron"

    def __str__(self) -> str:
        return str(self.value)
