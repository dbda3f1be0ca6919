"""Task Manager API: per-user tasks and gamification stats for the Cat House Platform."""

__version__ = "0.1.0"
