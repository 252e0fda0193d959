"""Development: DEBUG on by default, SQLite and in-process tasks unless the environment says otherwise."""
import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F401,F403
