from enum import StrEnum


class WebhookCreateEventTypesItem(StrEnum):
    TASK_COMPLETED = "task.completed"
    TASK_CREATED = "task.created"
    TASK_DELETED = "task.deleted"
    TASK_REOPENED = "task.reopened"
    TASK_UPDATED = "task.updated"
    VALUE_0 = "*"

    def __str__(self) -> str:
        return str(self.value)
