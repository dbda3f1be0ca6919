"""Deploy a new image of an ECS (Fargate) service: migrate first, then roll.

    python tools/deploy/deploy_ecs.py --cluster cathouse-staging --service task-manager \\
        --also-service task-manager-worker \\
        --migration-family task-manager-migrate-staging \\
        --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/task-manager:<sha>

1. registers a new revision of the task definition of the service and of every
   ``--also-service`` (e.g. its worker), and of the migration task definition (each a copy of
   the current one with the new image);
2. runs the migration task (Fargate, awsvpc) and waits for it to stop: a non-zero exit code,
   or a stop without one, fails the deploy with the exit code and the CloudWatch log stream.
   It runs in the service's own subnets and security groups (read from the ECS service;
   ``--subnets``/``--security-groups``/``--assign-public-ip`` override them);
3. points the service and the ``--also-service`` services at their new revisions (rolling
   deployments: ECS starts new tasks and drains the old ones behind the load balancer, zero
   downtime);
4. waits until each PRIMARY deployment has rolled out (``rolloutState`` COMPLETED, or one
   deployment left with all tasks running), failing on FAILED (the circuit breaker) or timeout;
5. prints a JSON summary (also on failure, with ``"status": "failed"``; exit code 1).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Fields of describe_task_definition's answer that register_task_definition accepts.
REGISTER_FIELDS = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
)


class DeployError(Exception):
    """The deploy stopped; the message says where and why."""


@dataclass
class Summary:
    cluster: str
    service: str
    image: str
    status: str = "started"
    service_task_definition: str | None = None
    previous_task_definition: str | None = None
    migration_task_definition: str | None = None
    migration_task: str | None = None
    migration_exit_code: int | None = None
    migration_log_stream: str | None = None
    deployment_id: str | None = None
    rollout_state: str | None = None
    network: dict[str, Any] = field(default_factory=dict)
    also: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    timings_seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    cluster: str
    service: str
    migration_family: str
    image: str
    subnets: Sequence[str] = ()
    security_groups: Sequence[str] = ()
    assign_public_ip: bool | None = None
    also_services: Sequence[str] = ()
    containers: Sequence[str] = ()
    migration_timeout: float = 900.0
    stable_timeout: float = 900.0
    poll_interval: float = 10.0


def image_repository(image: str) -> str:
    """``registry/repo:tag@sha256:...`` -> ``registry/repo``."""
    name = image.split("@", 1)[0]
    head, _, last = name.rpartition("/")
    last = last.split(":", 1)[0]
    return f"{head}/{last}" if head else last


def with_image(definition: dict[str, Any], image: str, containers: Sequence[str]) -> dict[str, Any]:
    """A register_task_definition request: ``definition`` with ``image`` in the containers named
    (default: those of the same repository, else the only container)."""
    request = {key: definition[key] for key in REGISTER_FIELDS if definition.get(key)}
    defs = [dict(c) for c in definition["containerDefinitions"]]
    if containers:
        targets = [c for c in defs if c["name"] in containers]
        missing = set(containers) - {c["name"] for c in targets}
        if missing:
            raise DeployError(f"{definition['family']}: no container named {sorted(missing)}")
    else:
        repository = image_repository(image)
        targets = [c for c in defs if image_repository(c.get("image", "")) == repository]
        if not targets and len(defs) == 1:
            targets = defs
        if not targets:
            raise DeployError(
                f"{definition['family']}: no container runs {repository}; pass --container"
            )
    for container in targets:
        container["image"] = image
    request["containerDefinitions"] = defs
    return request


class Deployer:
    def __init__(
        self,
        ecs: Any,
        options: Options,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ecs = ecs
        self.options = options
        self.sleep = sleep
        self.clock = clock
        self.summary = Summary(
            cluster=options.cluster, service=options.service, image=options.image
        )

    # -- steps ---------------------------------------------------------------------------------

    def register(self, task_definition: str) -> tuple[str, dict[str, Any]]:
        answer = self.ecs.describe_task_definition(taskDefinition=task_definition, include=["TAGS"])
        request = with_image(answer["taskDefinition"], self.options.image, self.options.containers)
        if answer.get("tags"):
            request["tags"] = answer["tags"]
        registered = self.ecs.register_task_definition(**request)["taskDefinition"]
        return str(registered["taskDefinitionArn"]), registered

    def current_service(self, name: str | None = None) -> dict[str, Any]:
        name = name or self.options.service
        answer = self.ecs.describe_services(cluster=self.options.cluster, services=[name])
        services = [s for s in answer["services"] if s.get("status") != "INACTIVE"]
        if not services:
            raise DeployError(f"service {name} not found in {self.options.cluster}")
        return dict(services[0])

    def network(self, service: dict[str, Any]) -> dict[str, Any]:
        """The migration's awsvpcConfiguration: the service's own, with the options' overrides
        (so each service's migration runs in that service's security groups)."""
        o = self.options
        own = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
        subnets = list(o.subnets) or list(own.get("subnets") or [])
        groups = list(o.security_groups) or list(own.get("securityGroups") or [])
        if o.assign_public_ip is None:
            public = own.get("assignPublicIp", "DISABLED")
        else:
            public = "ENABLED" if o.assign_public_ip else "DISABLED"
        if not subnets or not groups:
            raise DeployError(
                f"service {o.service} has no awsvpc subnets/security groups; "
                "pass --subnets and --security-groups"
            )
        return {"subnets": subnets, "securityGroups": groups, "assignPublicIp": public}

    def migrate(self, task_definition_arn: str, definition: dict[str, Any]) -> None:
        o = self.options
        answer = self.ecs.run_task(
            cluster=o.cluster,
            taskDefinition=task_definition_arn,
            launchType="FARGATE",
            count=1,
            startedBy="deploy_ecs",
            networkConfiguration={"awsvpcConfiguration": self.summary.network},
        )
        if answer.get("failures") or not answer.get("tasks"):
            raise DeployError(f"migration task did not start: {answer.get('failures')}")
        task_arn = str(answer["tasks"][0]["taskArn"])
        self.summary.migration_task = task_arn
        self.summary.migration_log_stream = log_stream(definition, task_arn)
        deadline = self.clock() + o.migration_timeout
        while True:
            task = self.ecs.describe_tasks(cluster=o.cluster, tasks=[task_arn])["tasks"][0]
            if task.get("lastStatus") == "STOPPED":
                break
            if self.clock() >= deadline:
                self.ecs.stop_task(cluster=o.cluster, task=task_arn, reason="deploy timeout")
                raise DeployError(
                    f"migration task {task_arn} still {task.get('lastStatus')} after "
                    f"{o.migration_timeout:.0f} s (stopped it); "
                    f"logs: {self.summary.migration_log_stream}"
                )
            self.sleep(o.poll_interval)
        essential = {
            c["name"] for c in definition["containerDefinitions"] if c.get("essential", True)
        }
        containers = [c for c in task.get("containers", []) if c.get("name") in essential]
        codes = [c.get("exitCode") for c in containers]
        if not containers or any(code is None for code in codes):
            reasons = [task.get("stoppedReason")] + [c.get("reason") for c in containers]
            raise DeployError(
                "migration task stopped without an exit code: "
                + "; ".join(r for r in reasons if r)
                + f"; logs: {self.summary.migration_log_stream}"
            )
        exit_code = next((code for code in codes if code != 0), 0)
        self.summary.migration_exit_code = exit_code
        if exit_code != 0:
            raise DeployError(
                f"migrations failed with exit code {exit_code}; "
                f"logs: {self.summary.migration_log_stream}"
            )

    def roll(self, targets: dict[str, str]) -> None:
        """Update every service of ``targets`` (name -> new task definition), then wait until
        each has rolled out; one deadline for all."""
        o = self.options
        for name, task_definition_arn in targets.items():
            self.ecs.update_service(
                cluster=o.cluster, service=name, taskDefinition=task_definition_arn
            )
        deadline = self.clock() + o.stable_timeout
        pending = dict(targets)
        while True:
            for name, task_definition_arn in list(pending.items()):
                if self.rolled_out(name, task_definition_arn):
                    del pending[name]
            if not pending:
                return
            if self.clock() >= deadline:
                states = {name: self.state_of(name).get("rollout_state") for name in pending}
                raise DeployError(
                    f"service {', '.join(pending)} not stable after {o.stable_timeout:.0f} s "
                    f"(rolloutState {states}); "
                    "ECS goes on rolling (or rolls back with the circuit breaker)"
                )
            self.sleep(o.poll_interval)

    def state_of(self, name: str) -> dict[str, Any]:
        """The summary entry of a service (the main one's fields live on the summary itself)."""
        if name == self.options.service:
            return {"rollout_state": self.summary.rollout_state}
        return next(entry for entry in self.summary.also if entry["service"] == name)

    def rolled_out(self, name: str, task_definition_arn: str) -> bool:
        service = self.current_service(name)
        deployments = service.get("deployments", [])
        primary = next((d for d in deployments if d.get("status") == "PRIMARY"), None)
        if primary is None or primary.get("taskDefinition") != task_definition_arn:
            return False
        state = primary.get("rolloutState")
        if name == self.options.service:
            self.summary.deployment_id = primary.get("id")
            self.summary.rollout_state = state
        else:
            self.state_of(name).update(deployment_id=primary.get("id"), rollout_state=state)
        if state == "FAILED":
            raise DeployError(
                f"deployment {primary.get('id')} of {name} failed: "
                f"{primary.get('rolloutStateReason')}"
            )
        all_running = primary.get("runningCount") == primary.get("desiredCount")
        return state == "COMPLETED" or (state is None and len(deployments) == 1 and all_running)

    # -- the whole deploy ----------------------------------------------------------------------

    def run(self) -> Summary:
        s = self.summary
        started = self.clock()
        try:
            current = self.current_service()
            s.network = self.network(current)
            s.previous_task_definition = str(current["taskDefinition"])
            s.service_task_definition, _ = self.register(s.previous_task_definition)
            targets = {self.options.service: s.service_task_definition}
            for name in self.options.also_services:
                previous = str(self.current_service(name)["taskDefinition"])
                arn, _ = self.register(previous)
                s.also.append(
                    {"service": name, "previous_task_definition": previous, "task_definition": arn}
                )
                targets[name] = arn
            s.migration_task_definition, migration = self.register(self.options.migration_family)
            s.timings_seconds["register"] = round(self.clock() - started, 3)
            self.migrate(s.migration_task_definition, migration)
            s.timings_seconds["migrate"] = round(self.clock() - started, 3)
            self.roll(targets)
            s.timings_seconds["roll"] = round(self.clock() - started, 3)
            s.status = "succeeded"
        except DeployError as exc:
            s.status = "failed"
            s.error = str(exc)
        return s


def log_stream(definition: dict[str, Any], task_arn: str) -> str | None:
    """``group:prefix/container/task-id`` for awslogs, else None."""
    task_id = task_arn.rsplit("/", 1)[-1]
    for container in definition["containerDefinitions"]:
        config = container.get("logConfiguration") or {}
        options = config.get("options") or {}
        if config.get("logDriver") == "awslogs" and "awslogs-stream-prefix" in options:
            stream = f"{options['awslogs-stream-prefix']}/{container['name']}/{task_id}"
            return f"{options.get('awslogs-group', '?')}:{stream}"
    return None


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deploy_ecs", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cluster", required=True)
    parser.add_argument(
        "--service", required=True, help="the service (its network runs the migration)"
    )
    parser.add_argument(
        "--also-service",
        action="append",
        default=[],
        help="another service of the same image rolled out with it after the migration "
        "(e.g. its worker); repeatable",
    )
    parser.add_argument("--migration-family", required=True, help="migration task definition")
    parser.add_argument("--image", required=True, help="the new image URI (tag or digest)")
    parser.add_argument(
        "--subnets", type=_csv, default=[], help="comma-separated (default: the service's)"
    )
    parser.add_argument(
        "--security-groups", type=_csv, default=[], help="comma-separated (default: the service's)"
    )
    parser.add_argument(
        "--assign-public-ip",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="default: as the service",
    )
    parser.add_argument("--container", action="append", default=[], help="container to update")
    parser.add_argument("--migration-timeout", type=float, default=900.0, help="seconds")
    parser.add_argument("--stable-timeout", type=float, default=900.0, help="seconds")
    parser.add_argument("--poll-interval", type=float, default=10.0, help="seconds")
    parser.add_argument("--region", default=None)
    return parser


def main(argv: Sequence[str] | None = None, ecs: Any = None) -> int:
    args = build_parser().parse_args(argv)
    if ecs is None:
        import boto3

        ecs = boto3.client("ecs", region_name=args.region)
    options = Options(
        cluster=args.cluster,
        service=args.service,
        migration_family=args.migration_family,
        image=args.image,
        subnets=args.subnets,
        security_groups=args.security_groups,
        assign_public_ip=args.assign_public_ip,
        also_services=args.also_service,
        containers=args.container,
        migration_timeout=args.migration_timeout,
        stable_timeout=args.stable_timeout,
        poll_interval=args.poll_interval,
    )
    summary = Deployer(ecs, options).run()
    sys.stdout.write(json.dumps(summary.__dict__, indent=2, default=str) + "\n")
    return 0 if summary.status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
