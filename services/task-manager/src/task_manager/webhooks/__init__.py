"""Webhooks: endpoints, secrets, the delivery log, replay (routes), and the delivery worker's
rules (:mod:`.delivery`). See docs/webhooks.md."""
