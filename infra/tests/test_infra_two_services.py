"""A second service is one more module block."""

from __future__ import annotations


def _service_blocks(root, hcl):
    return {
        name: body
        for name, body in root.modules.items()
        if (root.path / body["source"]).resolve() == (hcl.MODULES_DIR / "ecs-service").resolve()
    }


def test_fixture_instantiates_the_service_module_twice(two_services, hcl):
    services = _service_blocks(two_services, hcl)
    assert set(services) == {"task_manager", "email_manager"}
    assert len({body["source"] for body in services.values()}) == 1
    names = {body["name"] for body in services.values()}
    assert names == {"task-manager", "email-manager"}
    priorities = [body["listener_rule_priority"] for body in services.values()]
    assert len(set(priorities)) == len(priorities), "listener rule priorities must differ"
    assert sum(1 for body in services.values() if body.get("default_for_host")) <= 1


def test_fixture_blocks_differ_only_in_service_specific_values(two_services, hcl):
    services = list(_service_blocks(two_services, hcl).values())
    shared = {
        "cluster_arn",
        "cluster_name",
        "vpc_id",
        "subnet_ids",
        "alb_security_group_id",
        "alb_arn_suffix",
        "listener_arn",
    }
    for key in shared:
        assert services[0][key] == services[1][key], key


def test_every_environment_uses_the_service_module(envs, hcl):
    for env_name, env in envs.items():
        assert "task_manager" in _service_blocks(env, hcl), (
            f"{env_name} does not use modules/ecs-service"
        )
