"""Celery application. Without REDIS_URL the tasks run eagerly, in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immersup.settings")

app = Celery("immersup")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
