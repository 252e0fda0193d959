"""Append-only tables for the audit trail: the application may add rows, never change or remove them.

`save()` on an existing row, `delete()`, `QuerySet.update()` and `QuerySet.delete()` raise. The only
way out is `purge_older_than(cutoff)`, used by the retention job, which removes rows older than the
cutoff and nothing else.
"""
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""

    def __init__(self, what: str = "审计记录只能追加,不能修改或删除。"):
        super().__init__(what)


class AppendOnlyQuerySet(models.QuerySet):
    # The column holding each row's time; the purge compares it with the cutoff.
    time_field = "created_at"

    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError()

    def purge_older_than(self, cutoff) -> int:
        """Delete rows strictly older than `cutoff`; returns how many. Only the retention job calls this."""
        old = self.model._base_manager.filter(**{f"{self.time_field}__lt": cutoff})
        return old._raw_delete(old.db)


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()
