"""Conventions that hold for every Terraform directory under infra/."""

from __future__ import annotations

import re

SKIP_RE = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


def test_every_variable_has_a_description_and_a_type(tf_dir, hcl):
    module = hcl.load_module(tf_dir)
    for name, variable in module.variables.items():
        assert str(variable.get("description", "")).strip(), (
            f"{tf_dir.name}: variable {name} lacks a description"
        )
        assert variable.get("type"), f"{tf_dir.name}: variable {name} lacks a type"


def test_every_output_has_a_description(tf_dir, hcl):
    module = hcl.load_module(tf_dir)
    for name, output in module.outputs.items():
        assert str(output.get("description", "")).strip(), (
            f"{tf_dir.name}: output {name} lacks a description"
        )


def test_module_has_the_standard_files(module_dir):
    for file_name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
        assert (module_dir / file_name).is_file(), f"{module_dir.name} lacks {file_name}"


def test_terraform_and_aws_provider_are_pinned(tf_dir, hcl):
    module = hcl.load_module(tf_dir)
    settings = [entry for entry in module.terraform if "required_version" in entry]
    assert len(settings) == 1, f"{tf_dir.name}: expected one terraform block with required_version"
    required_version = settings[0]["required_version"]
    assert required_version in (">= 1.6", ">= 1.10")
    aws = hcl.block(settings[0]["required_providers"])["aws"]
    assert aws["source"] == "hashicorp/aws"
    assert re.fullmatch(r"~> 5\.\d+", aws["version"]), aws["version"]


def test_checkov_skips_carry_a_reason(hcl):
    skips = 0
    for tf_file in hcl.INFRA.rglob("*.tf"):
        if ".terraform" in tf_file.parts:
            continue
        for line_number, line in enumerate(tf_file.read_text(encoding="utf-8").splitlines(), 1):
            match = SKIP_RE.search(line)
            if match:
                skips += 1
                check_id, reason = match.groups()
                assert re.fullmatch(r"CKV2?_AWS_\d+", check_id), f"{tf_file}:{line_number}"
                assert reason and len(reason.strip()) >= 20, (
                    f"{tf_file}:{line_number}: skip without a reason"
                )
    assert skips > 0


def test_no_secret_values_in_terraform_state(hcl):
    """Secret values are put out of band: Terraform never writes a secret version."""
    for tf_file in hcl.INFRA.rglob("*.tf"):
        text = tf_file.read_text(encoding="utf-8")
        assert "aws_secretsmanager_secret_version" not in text, tf_file
        assert "secret_string" not in text, tf_file
