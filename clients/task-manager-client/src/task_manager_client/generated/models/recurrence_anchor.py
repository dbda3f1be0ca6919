from enum import StrEnum


class RecurrenceAnchor(StrEnum):
    COMPLETION = "completion"
    SCHEDULE = "schedule"

    def __str__(self) -> str:
        return str(self.value)
