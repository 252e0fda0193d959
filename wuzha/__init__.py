"""Wuzha (无诈创建): the portal for fraud-free community, campus and enterprise campaigns."""
from .celery import app as celery_app

__all__ = ("celery_app",)
