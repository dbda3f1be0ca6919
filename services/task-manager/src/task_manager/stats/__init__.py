"""Gamification figures over a player's tasks (``GET /v1/stats``)."""
