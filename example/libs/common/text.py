"""Helpers shared by the api and the worker."""


def slug(title):
    return title.lower().replace(" ", "-")
