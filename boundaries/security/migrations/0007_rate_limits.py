"""Reserved for the rate-limit helper (issue 7, V2.4.1); it may hold no operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0006_provider_subjects"),
    ]

    operations: list[migrations.operations.base.Operation] = []
