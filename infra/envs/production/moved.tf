# State moves of the refactoring that put the composition into modules/platform:
# the resources keep their identity (no destroy/create) on the first apply after
# it. Keep these blocks until both environments have been applied once.

moved {
  from = module.network
  to   = module.platform.module.network
}

moved {
  from = module.cluster
  to   = module.platform.module.cluster
}

moved {
  from = module.alb
  to   = module.platform.module.alb
}

moved {
  from = module.api_keys
  to   = module.platform.module.api_keys
}

moved {
  from = aws_sns_topic.alarms
  to   = module.platform.aws_sns_topic.alarms
}

moved {
  from = aws_sns_topic_subscription.alarm_email
  to   = module.platform.aws_sns_topic_subscription.alarm_email
}

moved {
  from = module.task_manager
  to   = module.platform.module.service["task-manager"]
}

moved {
  from = module.github_oidc
  to   = module.platform.module.github_oidc
}
