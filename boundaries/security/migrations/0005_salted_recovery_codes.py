"""Second factor and lockout (issue 7): a counter for browsers holding a device cookie
(V6.1.1), and an authenticator an administrator requires after clearing a lost one (V6.4.4).
Recovery codes' Argon2id hashes (V6.5.2) fit the existing column."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0004_live_session_device"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AlterField(
            model_name="failurecounter",
            name="scope",
            field=models.CharField(
                choices=[
                    ("account", "Account"),
                    ("address", "Client address"),
                    ("second_factor", "Second factor"),
                    ("device", "Browser with a device cookie"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="totpdevice",
            name="must_set_up",
            field=models.BooleanField(default=False),
        ),
    ]
