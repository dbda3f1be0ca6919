"""GitHub OIDC deploy role: trust scoped to the repository, least privilege."""

from __future__ import annotations


def _statements(module, name):
    return {
        s.get("sid", str(i)): s
        for i, s in enumerate(module.data[("aws_iam_policy_document", name)]["statement"])
    }


def test_trust_is_scoped_to_the_repository(github_oidc, hcl):
    subjects = github_oidc.locals["subjects"]
    assert "repo:${var.github_repository}:ref:refs/heads/${branch}" in subjects
    assert "repo:${var.github_repository}:environment:${environment}" in subjects
    statement = hcl.block(github_oidc.data[("aws_iam_policy_document", "trust")]["statement"])
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    conditions = {c["variable"]: c for c in statement["condition"]}
    audience = conditions["token.actions.githubusercontent.com:aud"]
    assert audience["test"] == "StringEquals" and audience["values"] == ["sts.amazonaws.com"]
    subject = conditions["token.actions.githubusercontent.com:sub"]
    # Exact match (no StringLike wildcard) on the listed subjects only.
    assert subject["test"] == "StringEquals"
    assert subject["values"] == "${local.subjects}"


def test_repository_and_subjects_reject_wildcards(github_oidc, hcl):
    assert (
        "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+"
        in hcl.block(github_oidc.variables["github_repository"]["validation"])["condition"]
    )
    for name in ("allowed_branches", "github_environments"):
        assert "[*?]" in hcl.block(github_oidc.variables[name]["validation"])["condition"]


def test_envs_trust_main_and_their_github_environment(envs, platform):
    oidc = platform.modules["github_oidc"]
    assert oidc["github_repository"] == "${var.github_repository}"
    assert oidc["allowed_branches"] == "${var.deploy_allowed_branches}"
    assert oidc["github_environments"] == ["${var.environment}"]
    assert oidc["role_name"] == "${local.name}-github-deploy"
    assert platform.variables["deploy_allowed_branches"]["default"] == ["main"]
    for env_name, env in envs.items():
        call = env.modules["platform"]
        assert call["github_repository"] == "${var.github_repository}"
        assert call.get("deploy_allowed_branches", ["main"]) == ["main"]
        assert call["environment"] == "${local.environment}"
        assert env.locals["environment"] == env_name
        assert env.variables["github_repository"]["default"] == "cathouse/platform"


def test_deploy_permissions_are_least_privilege(github_oidc, hcl):
    statements = _statements(github_oidc, "deploy")
    assert statements["EcrPushPull"]["resources"] == "${var.ecr_repository_arns}"
    assert "ecr:PutImage" in statements["EcrPushPull"]["actions"]
    assert statements["Services"]["actions"] == ["ecs:DescribeServices", "ecs:UpdateService"]
    assert statements["Services"]["resources"] == "${var.ecs_service_arns}"
    assert statements["RunMigrations"]["actions"] == ["ecs:RunTask"]
    assert "task-definition/${family}:*" in statements["RunMigrations"]["resources"]
    assert set(statements["TaskDefinitions"]["actions"]) == {
        "ecs:DescribeTaskDefinition",
        "ecs:RegisterTaskDefinition",
    }
    assert "ecs:DescribeTasks" in statements["TrackTasks"]["actions"]
    pass_role = statements["PassTaskRoles"]
    assert pass_role["actions"] == ["iam:PassRole"]
    assert pass_role["resources"] == "${var.pass_role_arns}"
    condition = hcl.block(pass_role["condition"])
    assert condition["variable"] == "iam:PassedToService"
    assert condition["values"] == ["ecs-tasks.amazonaws.com"]
    all_actions = {action for s in statements.values() for action in s["actions"]}
    assert not any(action.endswith("*") for action in all_actions)
    assert not any(
        action.startswith(("iam:Create", "iam:Put", "iam:Attach")) for action in all_actions
    )


def test_envs_pass_only_the_service_roles(platform):
    assert platform.locals["services"] == "${values(module.service)}"
    oidc = platform.modules["github_oidc"]
    assert oidc["pass_role_arns"] == (
        "${flatten([for service in local.services : [service.execution_role_arn, service.task_role_arn]])}"
    )
    assert (
        oidc["ecr_repository_arns"]
        == "${distinct([for service in local.services : service.ecr_repository_arn])}"
    )
    # Every service and its worker (null without one: compact drops it).
    assert oidc["ecs_service_arns"] == (
        "${compact(flatten([for service in local.services : "
        "[service.service_arn, service.worker_service_arn]]))}"
    )
    for family in ("migration_task_definition_family", "worker_task_definition_family"):
        assert f"service.{family}" in oidc["task_definition_families"]
