"""Placeholder during development; replaced by the group's real commands."""


def register(app) -> None:
    return None
