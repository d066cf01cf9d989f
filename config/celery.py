"""The Celery application shared by the web process, workers and beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# DjangoTask gives every task `delay_on_commit` / `apply_async_on_commit`, so a task is
# only enqueued once the row it refers to is committed.
app = Celery("influence", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
