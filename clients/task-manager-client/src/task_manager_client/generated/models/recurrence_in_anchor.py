from enum import StrEnum


class RecurrenceInAnchor(StrEnum):
    COMPLETION = "completion"
    SCHEDULE = "schedule"

    def __str__(self) -> str:
        return str(self.value)
