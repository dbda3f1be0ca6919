"""Gunicorn settings for production (a 0.25-vCPU, 512-MB Fargate task behind an ALB).

    gunicorn --config python:task_manager.gunicorn_conf

Read from the service settings (environment / ``ENV_FILE``): ``PORT``, ``WEB_CONCURRENCY``
(default 2), ``GRACEFUL_TIMEOUT_SECONDS`` (default 20), ``LOG_LEVEL``, ``LOG_FORMAT``. Invalid
configuration stops the master at once with a message naming the variable.

Why two workers on a quarter of a CPU: one asyncio worker already keeps the CPU busy, so more
workers add no throughput; the second one keeps the task serving while the other is recycled
(``max_requests``) or stuck in a CPU-heavy request; two fit easily in 512 MB (docs/operations.md).
"""

from __future__ import annotations

import sys
from typing import Any

from task_manager.logs import configure_service_logging
from task_manager.settings import ConfigurationError, load_settings

try:
    _settings = load_settings()
except ConfigurationError as exc:
    sys.stderr.write(f"task-manager: {exc}\n")
    raise SystemExit(2) from None

wsgi_app = "task_manager.app:create_app()"
# uvicorn with a header size limit and a request read timeout (task_manager/server.py).
worker_class = "task_manager.server.LimitedUvicornWorker"
bind = [f"0.0.0.0:{_settings.port}"]
workers = _settings.web_concurrency
# Keep idle connections longer than the ALB's 60 s idle timeout, so that the ALB (not the
# service) always closes them: no 502 from a request sent on a connection being closed.
keepalive = 75
graceful_timeout = _settings.graceful_timeout_seconds
timeout = 30  # a worker silent for this long is killed and replaced
max_requests = 20_000  # recycle workers now and then (memory), staggered by the jitter
max_requests_jitter = 2_000
worker_tmp_dir = "/dev/shm"  # noqa: S108 - heartbeat files on tmpfs, not the overlay disk
forwarded_allow_ips = "*"  # only the ALB reaches the task (security group)
proxy_protocol = False
accesslog = None  # the service writes its own access line (request id, route, key id)
loglevel = _settings.log_level
preload_app = False  # each worker builds its app, pool and key refresher after the fork


def on_starting(server: Any) -> None:
    """Route gunicorn's own logs through platform_logging (JSON lines) in the master."""
    configure_service_logging(_settings)


def post_worker_init(worker: Any) -> None:
    configure_service_logging(_settings)
