"""Contains all the data models used in inputs/outputs"""

from .by_priority import ByPriority
from .daily_completions import DailyCompletions
from .health import Health
from .list_tasks_v1_tasks_get_priority_type_0_item import (
    ListTasksV1TasksGetPriorityType0Item,
)
from .list_tasks_v1_tasks_get_sort import ListTasksV1TasksGetSort
from .list_tasks_v1_tasks_get_status_type_0_item import (
    ListTasksV1TasksGetStatusType0Item,
)
from .priority_stats import PriorityStats
from .problem import Problem
from .problem_field_error import ProblemFieldError
from .readiness import Readiness
from .stats_response import StatsResponse
from .task import Task
from .task_create import TaskCreate
from .task_create_priority import TaskCreatePriority
from .task_create_status import TaskCreateStatus
from .task_page import TaskPage
from .task_patch import TaskPatch
from .task_patch_priority import TaskPatchPriority
from .task_patch_status import TaskPatchStatus
from .task_priority import TaskPriority
from .task_status import TaskStatus

__all__ = (
    "ByPriority",
    "DailyCompletions",
    "Health",
    "ListTasksV1TasksGetPriorityType0Item",
    "ListTasksV1TasksGetSort",
    "ListTasksV1TasksGetStatusType0Item",
    "PriorityStats",
    "Problem",
    "ProblemFieldError",
    "Readiness",
    "StatsResponse",
    "Task",
    "TaskCreate",
    "TaskCreatePriority",
    "TaskCreateStatus",
    "TaskPage",
    "TaskPatch",
    "TaskPatchPriority",
    "TaskPatchStatus",
    "TaskPriority",
    "TaskStatus",
)
