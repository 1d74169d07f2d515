"""Reserved for the second-factor and lockout helper (issue 7, V6.5.2, V6.1.1); it may hold no operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0004_live_session_device"),
    ]

    operations: list[migrations.operations.base.Operation] = []
