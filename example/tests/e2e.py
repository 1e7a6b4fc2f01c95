"""End-to-end test of the example: run by `gantry run --test`, which sets API_URL and WEB_URL."""
import json
import os
import urllib.request

videos = json.load(urllib.request.urlopen(os.environ["API_URL"] + "/api/videos"))
assert videos["items"], "the API lists no videos"
page = urllib.request.urlopen(os.environ["WEB_URL"] + "/").read().decode()
assert "<h1>" in page, "the web page has no heading"
print(f"e2e: {len(videos['items'])} video(s) from {os.environ['API_URL']}, the page from {os.environ['WEB_URL']}")
