"""Signals for writes that bypass post_save (bulk imports), so caches in the apps above can follow them."""
from django.dispatch import Signal

# sent by `services.activity_bulk_record` with `village_codes`: the villages whose activities it wrote
activities_bulk_saved = Signal()
