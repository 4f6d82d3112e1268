"""Local development: `python manage.py runserver` uses these (see manage.py)."""
from .base import *  # noqa: F403

SECRET_KEY = "django-insecure-dev-only-key"
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
