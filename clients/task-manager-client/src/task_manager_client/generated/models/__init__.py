"""Contains all the data models used in inputs/outputs"""

from .attempt import Attempt
from .by_priority import ByPriority
from .changes import Changes
from .completion import Completion
from .completion_page import CompletionPage
from .daily_completions import DailyCompletions
from .delivery import Delivery
from .delivery_page import DeliveryPage
from .delivery_status import DeliveryStatus
from .event import Event
from .event_completion import EventCompletion
from .event_data import EventData
from .event_page import EventPage
from .event_type import EventType
from .feed_cursor import FeedCursor
from .field_change import FieldChange
from .health import Health
from .list_deliveries_v1_webhooks_webhook_id_deliveries_get_status_type_0 import (
    ListDeliveriesV1WebhooksWebhookIdDeliveriesGetStatusType0,
)
from .list_events_v1_events_get_type_type_0_item import (
    ListEventsV1EventsGetTypeType0Item,
)
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
from .recurrence import Recurrence
from .recurrence_anchor import RecurrenceAnchor
from .recurrence_in import RecurrenceIn
from .recurrence_in_anchor import RecurrenceInAnchor
from .replay_answer import ReplayAnswer
from .replay_request import ReplayRequest
from .secret_answer import SecretAnswer
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
from .webhook import Webhook
from .webhook_create import WebhookCreate
from .webhook_create_event_types_item import WebhookCreateEventTypesItem
from .webhook_list import WebhookList
from .webhook_patch import WebhookPatch
from .webhook_patch_event_types_type_0_item import WebhookPatchEventTypesType0Item
from .webhook_with_secret import WebhookWithSecret

__all__ = (
    "Attempt",
    "ByPriority",
    "Changes",
    "Completion",
    "CompletionPage",
    "DailyCompletions",
    "Delivery",
    "DeliveryPage",
    "DeliveryStatus",
    "Event",
    "EventCompletion",
    "EventData",
    "EventPage",
    "EventType",
    "FeedCursor",
    "FieldChange",
    "Health",
    "ListDeliveriesV1WebhooksWebhookIdDeliveriesGetStatusType0",
    "ListEventsV1EventsGetTypeType0Item",
    "ListTasksV1TasksGetPriorityType0Item",
    "ListTasksV1TasksGetSort",
    "ListTasksV1TasksGetStatusType0Item",
    "PriorityStats",
    "Problem",
    "ProblemFieldError",
    "Readiness",
    "Recurrence",
    "RecurrenceAnchor",
    "RecurrenceIn",
    "RecurrenceInAnchor",
    "ReplayAnswer",
    "ReplayRequest",
    "SecretAnswer",
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
    "Webhook",
    "WebhookCreate",
    "WebhookCreateEventTypesItem",
    "WebhookList",
    "WebhookPatch",
    "WebhookPatchEventTypesType0Item",
    "WebhookWithSecret",
)
