"""Gunicorn settings for production (a 0.25-vCPU, 512-MB Fargate task behind an ALB).

A service's ``gunicorn_conf.py`` is one call::

    globals().update(gunicorn_config("task-manager", "task_manager.app:create_app()", Settings))

and the image runs ``gunicorn --config python:task_manager.gunicorn_conf``. Read from the
service settings (environment / ``ENV_FILE``): ``PORT``, ``WEB_CONCURRENCY`` (default 1),
``GRACEFUL_TIMEOUT_SECONDS`` (default 20), ``LOG_LEVEL``, ``LOG_FORMAT``. Invalid
configuration stops the master at once with a message naming the variable.

Why one worker on a quarter of a CPU: one asyncio worker already keeps the CPU busy, and a
second one only shares the same quota (measured: the mix held p99 < 100 ms up to 200-300 req/s
with one worker and never more with two; docs/performance.md). A single worker is never recycled
(``max_requests`` only applies with two or more: recycling the only worker would leave the task
without a process for a second; its memory is flat over 100 000 requests). More workers are for
more vCPU.
"""

from __future__ import annotations

import sys
from typing import Any

from platform_service.logs import configure_service_logging
from platform_service.settings import ConfigurationError, ServiceSettings


def gunicorn_config(
    service: str, wsgi_app: str, settings_class: type[ServiceSettings]
) -> dict[str, Any]:
    """The gunicorn configuration names for ``service``, whose app factory call is
    ``wsgi_app`` (``"package.app:create_app()"``)."""
    try:
        settings = settings_class.load()
    except ConfigurationError as exc:
        sys.stderr.write(f"{service}: {exc}\n")
        raise SystemExit(2) from None

    def on_starting(server: Any) -> None:
        """Route gunicorn's own logs through platform_logging (JSON lines) in the master."""
        configure_service_logging(service, settings)

    def post_worker_init(worker: Any) -> None:
        configure_service_logging(service, settings)

    recycle = settings.web_concurrency > 1

    return {
        "wsgi_app": wsgi_app,
        # uvicorn with a header size limit and a request read timeout (server.py).
        "worker_class": "platform_service.server.LimitedUvicornWorker",
        "bind": [f"0.0.0.0:{settings.port}"],
        "workers": settings.web_concurrency,
        # Keep idle connections longer than the ALB's 60 s idle timeout, so that the ALB (not
        # the service) always closes them: no 502 from a request sent on a closing connection.
        "keepalive": 75,
        "graceful_timeout": settings.graceful_timeout_seconds,
        "timeout": 30,  # a worker silent for this long is killed and replaced
        # Recycle workers now and then (memory), staggered; never the only one.
        "max_requests": 20_000 if recycle else 0,
        "max_requests_jitter": 2_000 if recycle else 0,
        "worker_tmp_dir": "/dev/shm",  # noqa: S108 - heartbeat files on tmpfs
        "forwarded_allow_ips": "*",  # only the ALB reaches the task (security group)
        "proxy_protocol": False,
        "accesslog": None,  # the service writes its own access line (request id, route, key)
        "loglevel": settings.log_level,
        "preload_app": False,  # each worker builds its app, pool and key refresher after fork
        "on_starting": on_starting,
        "post_worker_init": post_worker_init,
    }
