"""Transcodes uploaded videos."""

print("worker ready")
