# Written by hand: the column is added empty, filled with each run's start (the only sign
# of life an existing row has), then made required.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scheduling', '0002_run_taken_over'),
    ]

    operations = [
        migrations.AddField(
            model_name='scheduledrun',
            name='heartbeat_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunSQL(
            'UPDATE scheduling_scheduledrun SET heartbeat_at = started_at',
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='scheduledrun',
            name='heartbeat_at',
            field=models.DateTimeField(help_text='when its worker last said it was still running it (at first, the start)'),
        ),
    ]
