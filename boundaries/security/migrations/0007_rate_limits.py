"""Rate limits beyond sign-in (issue 7, V2.4.1): requests counted per person or API token."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0006_provider_subjects"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=20)),
                ("key", models.CharField(max_length=64)),
                ("window_end", models.BigIntegerField(help_text="Unix time the window ends")),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["window_end"], name="rate_count_window_end")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "key", "window_end"), name="rate_count_unique"
                    )
                ],
            },
        ),
    ]
