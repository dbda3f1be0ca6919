from enum import StrEnum


class ListTasksV1TasksGetPriorityType0Item(StrEnum):
    HIGH = "high"
    LOW = "low"
    MEDIUM = "medium"
    URGENT = "urgent"

    def __str__(self) -> str:
        return str(self.value)
