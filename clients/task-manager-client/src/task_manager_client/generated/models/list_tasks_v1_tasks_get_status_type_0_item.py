from enum import StrEnum


class ListTasksV1TasksGetStatusType0Item(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
