"""Problem details for this service's routes: the platform's renderer, documented with the
task manager's error catalogue."""

from __future__ import annotations

from typing import Any

from platform_service.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, Problem
from platform_service.problems import problem_responses as _problem_responses
from task_manager.errors import ALL_ERRORS

__all__ = ["PROBLEM_BASE", "PROBLEM_MEDIA_TYPE", "Problem", "problem_responses"]


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the given statuses, with the problem schema."""
    return _problem_responses(*statuses, errors=ALL_ERRORS)
