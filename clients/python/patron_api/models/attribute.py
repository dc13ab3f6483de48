from enum import StrEnum

class Attribute(StrEnum):
    AGE_BAND = "age_band"
    CITY = "city"
    CONTINENT = "continent"
    COUNTRY = "country"
    GENDER = "gender"
    STATE = "state"

    def __str__(self) -> str:
        return str(self.value)
