"""API-key secrets and their rotation Lambda."""

from __future__ import annotations


def test_one_secret_per_client(api_keys, envs, platform):
    secret = api_keys.resource("aws_secretsmanager_secret", "api_key")
    assert secret["for_each"] == "${toset(var.clients)}"
    assert secret["name"] == "${var.name_prefix}/api-keys/${each.key}"
    assert platform.modules["api_keys"]["clients"] == "${var.api_key_clients}"
    assert platform.modules["api_keys"]["name_prefix"] == "${local.name}"
    for env in envs.values():
        assert env.modules["platform"]["api_key_clients"] == ["cathouse-platform"]


def test_rotation_lambda_runs_the_platform_handler_on_python_312(api_keys, hcl):
    function = api_keys.resource("aws_lambda_function", "rotation")
    assert function["runtime"] == "python3.12"
    assert (
        api_keys.variable_default("lambda_handler")
        == "platform_auth_apikey.rotation.lambda_handler"
    )
    assert function["s3_bucket"] == "${local.use_s3 ? var.lambda_s3_bucket : null}"
    assert function["filename"] == "${local.use_s3 ? null : var.lambda_zip_path}"
    precondition = hcl.block(hcl.block(function["lifecycle"])["precondition"])
    assert "var.lambda_zip_path" in precondition["condition"]


def test_rotation_schedule_and_permission(api_keys, hcl):
    rotation = api_keys.resource("aws_secretsmanager_secret_rotation", "api_key")
    assert rotation["rotation_lambda_arn"] == "${aws_lambda_function.rotation.arn}"
    assert (
        hcl.block(rotation["rotation_rules"])["automatically_after_days"] == "${var.rotation_days}"
    )
    assert api_keys.variable_default("rotation_days") == 30
    permission = api_keys.resource("aws_lambda_permission", "secretsmanager")
    assert permission["principal"] == "secretsmanager.amazonaws.com"
    assert permission["source_arn"] == "${each.value.arn}"


def test_rotation_role_is_scoped_to_the_api_key_secrets(api_keys):
    statements = api_keys.data[("aws_iam_policy_document", "rotation")]["statement"]
    rotate = next(s for s in statements if s.get("sid") == "RotateApiKeySecrets")
    assert "secretsmanager:PutSecretValue" in rotate["actions"]
    assert "secretsmanager:UpdateSecretVersionStage" in rotate["actions"]
    assert (
        rotate["resources"] == "${[for secret in aws_secretsmanager_secret.api_key : secret.arn]}"
    )
