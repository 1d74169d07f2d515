"""Reserved for the provider-identity helper (issue 7, V10.5.2); it may hold no operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0005_salted_recovery_codes"),
    ]

    operations: list[migrations.operations.base.Operation] = []
