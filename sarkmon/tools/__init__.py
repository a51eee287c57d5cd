"""Thin runners for promtool, amtool and prometheus: subprocess, no shell, bounded in time."""
