"""deploy_ecs against moto's ECS/ECR/EC2 emulation.

Moto runs the real API calls (task definitions, run_task, update_service, describe_*). Two
things it does not model are added by a thin wrapper around the moto client, on top of moto's
own answers: a stopped task's exit code (moto reports 0 for every container), and a service's
deployments after update_service (moto keeps the deployment of create_service; ECS makes the
new revision the PRIMARY deployment). The rollout state itself comes from moto
(MOTO_ECS_SERVICE_RUNNING: all tasks running -> COMPLETED, none -> IN_PROGRESS).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

_spec = importlib.util.spec_from_file_location(
    "deploy_ecs", Path(__file__).resolve().parents[1] / "deploy_ecs.py"
)
assert _spec is not None and _spec.loader is not None
deploy_ecs = importlib.util.module_from_spec(_spec)
sys.modules["deploy_ecs"] = deploy_ecs
_spec.loader.exec_module(deploy_ecs)

REGION = "eu-west-1"
CLUSTER = "cathouse-staging"
SERVICE = "task-manager"
MIGRATE_FAMILY = "task-manager-migrate-staging"
WORKER = "task-manager-worker"


class EcsWithEcsBehaviour:
    """The moto ECS client, with exit codes and post-update deployments as ECS reports them."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.exit_code: int | None = 0
        self.stopped_reason: str | None = None
        self.rollout_state: str | None = None  # overrides moto's when set
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(self._client, name)

    def describe_tasks(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("describe_tasks")
        answer: dict[str, Any] = copy.deepcopy(self._client.describe_tasks(**kwargs))
        for task in answer["tasks"]:
            if task.get("lastStatus") == "STOPPED":
                if self.stopped_reason:
                    task["stoppedReason"] = self.stopped_reason
                for container in task.get("containers", []):
                    if self.exit_code is None:
                        container.pop("exitCode", None)
                    else:
                        container["exitCode"] = self.exit_code
        return answer

    def describe_services(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("describe_services")
        answer: dict[str, Any] = copy.deepcopy(self._client.describe_services(**kwargs))
        for service in answer["services"]:
            for deployment in service.get("deployments", []):
                if deployment.get("status") == "PRIMARY":
                    deployment["taskDefinition"] = service["taskDefinition"]
                    if self.rollout_state:
                        deployment["rolloutState"] = self.rollout_state
                        deployment["rolloutStateReason"] = "tasks failed to start"
        return answer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _container(name: str, image: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "image": image,
        "essential": True,
        "memoryReservation": 128,
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": "/ecs/task-manager-staging",
                "awslogs-region": REGION,
                "awslogs-stream-prefix": name,
            },
        },
        **extra,
    }


def make_world(monkeypatch: pytest.MonkeyPatch, *, running: int) -> dict[str, Any]:
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", str(running))
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="tm", Description="tm", VpcId=vpc)["GroupId"]
    repo = boto3.client("ecr", region_name=REGION).create_repository(repositoryName=SERVICE)
    uri = repo["repository"]["repositoryUri"]
    ecs: Any = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName=CLUSTER)
    common: dict[str, Any] = {
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::123456789012:role/task-manager-exec",
    }
    service_td = ecs.register_task_definition(
        family="task-manager-staging",
        containerDefinitions=[
            _container(
                "api", f"{uri}:old", portMappings=[{"containerPort": 8000, "protocol": "tcp"}]
            ),
            _container("log-router", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2"),
        ],
        **common,
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.register_task_definition(
        family=MIGRATE_FAMILY,
        containerDefinitions=[
            _container("migrate", f"{uri}:old", command=["task-manager", "migrate"])
        ],
        **common,
    )
    network: Any = {
        "awsvpcConfiguration": {
            "subnets": [subnet],
            "securityGroups": [group],
            "assignPublicIp": "ENABLED",
        }
    }
    ecs.create_service(
        cluster=CLUSTER,
        serviceName=SERVICE,
        taskDefinition=service_td,
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration=network,
    )
    # The webhook worker: same image, own command, own security group, no load balancer.
    worker_group = ec2.create_security_group(GroupName="w", Description="w", VpcId=vpc)["GroupId"]
    worker_td = ecs.register_task_definition(
        family="task-manager-worker-staging",
        containerDefinitions=[
            _container("task-manager-worker", f"{uri}:old", command=["task-manager", "worker"])
        ],
        **common,
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster=CLUSTER,
        serviceName=WORKER,
        taskDefinition=worker_td,
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [worker_group]}
        },
    )
    return {
        "ecs": ecs,
        "uri": uri,
        "subnet": subnet,
        "group": group,
        "old_td": service_td,
        "old_worker_td": worker_td,
    }


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def deployer(world: dict[str, Any], ecs: Any, fake: FakeTime, **overrides: Any) -> Any:
    options = deploy_ecs.Options(
        cluster=CLUSTER,
        service=SERVICE,
        migration_family=MIGRATE_FAMILY,
        image=f"{world['uri']}:new",
        subnets=[world["subnet"]],
        security_groups=[world["group"]],
        poll_interval=5,
        **overrides,
    )
    return deploy_ecs.Deployer(ecs, options, sleep=fake.sleep, clock=fake.clock)


def service_task_definition(world: dict[str, Any], service: str = SERVICE) -> str:
    answer = world["ecs"].describe_services(cluster=CLUSTER, services=[service])
    return str(answer["services"][0]["taskDefinition"])


def containers_of(world: dict[str, Any], arn: str) -> dict[str, dict[str, Any]]:
    definition = world["ecs"].describe_task_definition(taskDefinition=arn)["taskDefinition"]
    return {c["name"]: c for c in definition["containerDefinitions"]}


def test_happy_path_migrates_then_rolls_the_service_to_the_new_image(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])

    summary = deployer(world, ecs, FakeTime()).run()

    assert summary.status == "succeeded", summary.error
    new_td = summary.service_task_definition
    assert new_td.endswith("task-manager-staging:2")
    assert service_task_definition(world) == new_td
    api = containers_of(world, new_td)
    assert api["api"]["image"] == f"{world['uri']}:new"
    assert api["api"]["portMappings"][0]["containerPort"] == 8000
    assert api["log-router"]["image"].endswith("aws-for-fluent-bit:2")  # other containers kept
    migrate = containers_of(world, summary.migration_task_definition)["migrate"]
    assert migrate["image"] == f"{world['uri']}:new"
    assert migrate["command"] == ["task-manager", "migrate"]
    task = world["ecs"].describe_tasks(cluster=CLUSTER, tasks=[summary.migration_task])["tasks"][0]
    assert task["taskDefinitionArn"] == summary.migration_task_definition
    assert summary.migration_exit_code == 0
    task_id = summary.migration_task.rsplit("/", 1)[-1]
    assert summary.migration_log_stream == f"/ecs/task-manager-staging:migrate/migrate/{task_id}"
    assert summary.rollout_state == "COMPLETED"
    # the migration ran before the service was touched
    assert ecs.calls.index("run_task") < ecs.calls.index("update_service")


def test_worker_rolls_out_with_the_service_after_the_migration(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])

    summary = deployer(world, ecs, FakeTime(), also_services=[WORKER]).run()

    assert summary.status == "succeeded", summary.error
    (worker,) = summary.also
    assert worker["service"] == WORKER
    assert worker["previous_task_definition"] == world["old_worker_td"]
    assert worker["task_definition"].endswith("task-manager-worker-staging:2")
    assert service_task_definition(world, WORKER) == worker["task_definition"]
    container = containers_of(world, worker["task_definition"])["task-manager-worker"]
    assert container["image"] == f"{world['uri']}:new"
    assert container["command"] == ["task-manager", "worker"]
    assert worker["rollout_state"] == "COMPLETED"
    # Both services are updated only once the migration has succeeded.
    first_update = ecs.calls.index("update_service")
    assert ecs.calls.index("run_task") < first_update
    assert ecs.calls.count("update_service") == 2


def test_failed_migration_leaves_service_and_worker_alone(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])
    ecs.exit_code = 2

    summary = deployer(world, ecs, FakeTime(), also_services=[WORKER]).run()

    assert summary.status == "failed"
    assert "update_service" not in ecs.calls
    assert service_task_definition(world) == world["old_td"]
    assert service_task_definition(world, WORKER) == world["old_worker_td"]


def test_migration_runs_in_the_network_of_the_service_by_default(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each service's migration runs in that service's subnets and security groups."""
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])
    fake = FakeTime()
    options = deploy_ecs.Options(
        cluster=CLUSTER,
        service=SERVICE,
        migration_family=MIGRATE_FAMILY,
        image=f"{world['uri']}:new",
        poll_interval=5,
    )

    summary = deploy_ecs.Deployer(ecs, options, sleep=fake.sleep, clock=fake.clock).run()

    assert summary.status == "succeeded", summary.error
    assert summary.network == {
        "subnets": [world["subnet"]],
        "securityGroups": [world["group"]],
        "assignPublicIp": "ENABLED",
    }
    task = world["ecs"].describe_tasks(cluster=CLUSTER, tasks=[summary.migration_task])["tasks"][0]
    eni = next(a for a in task["attachments"] if a["type"] == "ElasticNetworkInterface")
    details = {d["name"]: d["value"] for d in eni["details"]}
    assert details["subnetId"] == world["subnet"]


def test_failed_migration_stops_the_deploy_with_exit_code_and_log_stream(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])
    ecs.exit_code = 3

    summary = deployer(world, ecs, FakeTime()).run()

    assert summary.status == "failed"
    assert summary.migration_exit_code == 3
    assert "exit code 3" in summary.error
    assert summary.migration_log_stream in summary.error
    assert "update_service" not in ecs.calls
    assert service_task_definition(world) == world["old_td"]


def test_migration_task_stopping_without_exit_code_fails_with_the_reason(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])
    ecs.exit_code = None
    ecs.stopped_reason = "CannotPullContainerError: pull access denied"

    summary = deployer(world, ecs, FakeTime()).run()

    assert summary.status == "failed"
    assert "without an exit code" in summary.error
    assert "CannotPullContainerError" in summary.error
    assert service_task_definition(world) == world["old_td"]


def test_service_not_stable_in_time_fails_after_the_timeout(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(monkeypatch, running=0)  # moto: rolloutState IN_PROGRESS for good
    ecs = EcsWithEcsBehaviour(world["ecs"])
    fake = FakeTime()

    summary = deployer(world, ecs, fake, stable_timeout=120).run()

    assert summary.status == "failed"
    assert "not stable after 120 s" in summary.error
    assert summary.rollout_state == "IN_PROGRESS"
    waited = fake.now - summary.timings_seconds["migrate"]
    assert 120 <= waited <= 125  # polled until the timeout, and no longer
    assert service_task_definition(world) == summary.service_task_definition


def test_failed_rollout_fails_at_once(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(monkeypatch, running=0)
    ecs = EcsWithEcsBehaviour(world["ecs"])
    ecs.rollout_state = "FAILED"
    fake = FakeTime()

    summary = deployer(world, ecs, fake, stable_timeout=600).run()

    assert summary.status == "failed"
    assert "failed: tasks failed to start" in summary.error
    assert fake.now < 600


def test_cli_prints_a_json_summary_and_exits_by_status(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])
    argv = [
        "--cluster", CLUSTER, "--service", SERVICE, "--also-service", WORKER,
        "--migration-family", MIGRATE_FAMILY,
        "--image", f"{world['uri']}@sha256:{'a' * 64}", "--subnets", world["subnet"],
        "--security-groups", world["group"], "--no-assign-public-ip", "--poll-interval", "0",
    ]  # fmt: skip

    assert deploy_ecs.main(argv, ecs=ecs) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "succeeded"
    assert summary["image"].endswith("a" * 64)
    assert summary["network"]["assignPublicIp"] == "DISABLED"  # the flag overrides the service
    assert [entry["service"] for entry in summary["also"]] == [WORKER]

    ecs.exit_code = 1
    assert deploy_ecs.main(argv, ecs=ecs) == 1
    assert json.loads(capsys.readouterr().out)["migration_exit_code"] == 1


def test_unknown_container_name_is_refused(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(monkeypatch, running=2)
    ecs = EcsWithEcsBehaviour(world["ecs"])

    summary = deployer(world, ecs, FakeTime(), containers=["web"]).run()

    assert summary.status == "failed"
    assert "no container named ['web']" in summary.error
    assert "register_task_definition" not in ecs.calls


@pytest.mark.parametrize(
    ("image", "repository"),
    [
        ("1.dkr.ecr.eu-west-1.amazonaws.com/tm:abc", "1.dkr.ecr.eu-west-1.amazonaws.com/tm"),
        ("localhost:5000/task-manager:v1", "localhost:5000/task-manager"),
        ("task-manager@sha256:" + "b" * 64, "task-manager"),
        ("task-manager", "task-manager"),
    ],
)  # fmt: skip
def test_image_repository(image: str, repository: str) -> None:
    assert deploy_ecs.image_repository(image) == repository
