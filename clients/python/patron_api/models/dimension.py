from enum import StrEnum

class Dimension(StrEnum):
    BRAND = "brand"
    CATEGORY = "category"
    CHANNEL = "channel"
    COUNTRY = "country"
    CURRENCY = "currency"
    PRODUCT = "product"
    STORE = "store"
    SUBCATEGORY = "subcategory"

    def __str__(self) -> str:
        return str(self.value)
