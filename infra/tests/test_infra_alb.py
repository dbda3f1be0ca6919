"""Static checks of the shared ALB module."""

from __future__ import annotations


def test_https_listener_uses_a_modern_tls_policy(alb, hcl):
    listener = alb.resource("aws_lb_listener", "https")
    assert listener["port"] == 443
    assert listener["protocol"] == "HTTPS"
    assert listener["ssl_policy"] == "${var.ssl_policy}"
    assert alb.variable_default("ssl_policy") == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    validation = hcl.block(alb.variables["ssl_policy"]["validation"])
    assert "ELBSecurityPolicy-TLS13-1-2-" in validation["condition"]
    # The certificate is only used once DNS validation completed.
    assert listener["certificate_arn"] == "${aws_acm_certificate_validation.this.certificate_arn}"


def test_http_listener_redirects_to_https(alb, hcl):
    listener = alb.resource("aws_lb_listener", "http")
    assert listener["port"] == 80
    action = hcl.block(listener["default_action"])
    assert action["type"] == "redirect"
    redirect = hcl.block(action["redirect"])
    assert redirect["protocol"] == "HTTPS"
    assert redirect["port"] == "443"
    assert redirect["status_code"] == "HTTP_301"


def test_alb_drops_invalid_headers_and_idles_out_before_the_app(alb, hcl):
    balancer = alb.resource("aws_lb", "this")
    assert balancer["drop_invalid_header_fields"] is True
    assert balancer["idle_timeout"] == "${var.idle_timeout_seconds}"
    assert alb.variable_default("idle_timeout_seconds") == 60
    assert "< 75" in hcl.block(alb.variables["idle_timeout_seconds"]["validation"])["condition"]
    assert balancer["internal"] is False


def test_certificate_is_dns_validated_in_the_existing_zone(alb, hcl):
    certificate = alb.resource("aws_acm_certificate", "this")
    assert certificate["validation_method"] == "DNS"
    assert hcl.block(certificate["lifecycle"])["create_before_destroy"] is True
    zone = alb.data[("aws_route53_zone", "this")]
    assert zone["name"] == "${var.zone_name}"
    validation_record = alb.resource("aws_route53_record", "certificate_validation")
    assert validation_record["zone_id"] == "${data.aws_route53_zone.this.zone_id}"


def test_alias_record_points_at_the_alb(alb, hcl):
    record = alb.resource("aws_route53_record", "alias")
    assert record["name"] == "${var.domain_name}"
    alias = hcl.block(record["alias"])
    assert alias["name"] == "${aws_lb.this.dns_name}"
    assert alias["zone_id"] == "${aws_lb.this.zone_id}"


def test_envs_serve_the_expected_domains(envs, platform):
    alb = platform.modules["alb"]
    assert alb["domain_name"] == "${var.domain_name}"
    assert alb["zone_name"] == "${var.zone_name}"
    assert envs["production"].modules["platform"]["domain_name"] == "api.gamificator.click"
    assert envs["staging"].modules["platform"]["domain_name"] == "api-staging.gamificator.click"
    for env in envs.values():
        assert env.modules["platform"]["zone_name"] == "gamificator.click"
