from enum import StrEnum

class ProductSort(StrEnum):
    ID = "id"
    NAME = "name"
    SKU = "sku"
    UNIT_PRICE = "unit_price"
    VALUE_4 = "-unit_price"

    def __str__(self) -> str:
        return str(self.value)
