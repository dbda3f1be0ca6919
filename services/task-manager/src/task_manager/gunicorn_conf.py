"""Gunicorn settings for production: ``gunicorn --config python:task_manager.gunicorn_conf``
(the platform's, see :mod:`platform_service.gunicorn`)."""

from platform_service.gunicorn import gunicorn_config
from task_manager.settings import Settings

globals().update(gunicorn_config("task-manager", "task_manager.app:create_app()", Settings))
