from enum import StrEnum

class CustomerSort(StrEnum):
    CREATED_AT = "created_at"
    ID = "id"
    NAME = "name"
    VALUE_1 = "-id"
    VALUE_3 = "-name"
    VALUE_5 = "-created_at"

    def __str__(self) -> str:
        return str(self.value)
