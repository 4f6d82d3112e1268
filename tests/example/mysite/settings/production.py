"""Production settings: mysite/wsgi.py points gunicorn here.

This example ships with the mistakes Preflight is built to catch; `preflight check
tests/example` lists them.
"""
import os

from .base import *  # noqa: F403

# a fallback "so that collectstatic works in CI": used whenever the variable is missing
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-change-me-before-launch")

# any non-empty string is truthy, so DJANGO_DEBUG=False would turn DEBUG on
DEBUG = os.environ.get("DJANGO_DEBUG", False)

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "www.example.com").split(",")

STATIC_ROOT = BASE_DIR / "staticfiles"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "media"  # noqa: F405

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "mysite",
        "USER": "mysite",
        "PASSWORD": "hunter2",
        "HOST": os.environ.get("DATABASE_HOST", "localhost"),
        "PORT": "5432",
    }
}

# the cache lives next to the user uploads nginx serves
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "media" / "cache",  # noqa: F405
    }
}

SESSION_COOKIE_SECURE = True
# CSRF_COOKIE_SECURE = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 3600
SECURE_REFERRER_POLICY = "same-origin, no-referer"
