"""An attachment's file goes when its row goes, whether deleted directly, with its concern
or report, or by the retention purge; only once the deletion is committed."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from boundaries.concerns.attachments import delete_file
from boundaries.concerns.models import Attachment


@receiver(post_delete, sender=Attachment)
def remove_file(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    transaction.on_commit(partial(delete_file, instance))
