"""Seal the authenticator secrets and providers' client secrets already stored in clear.

The columns are renamed (`sealed_…`) so that nothing can read them as plain text by
accident; the values are sealed with the key of `security.encryption` (FIELD_ENCRYPTION_KEY,
or in development the key derived from SECRET_KEY). Reversible: going back opens them again.
"""

from django.db import migrations, models

from boundaries.security import encryption


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    TotpDevice = apps.get_model("security", "TotpDevice")
    SignInProvider = apps.get_model("security", "SignInProvider")
    for device in TotpDevice.objects.all():
        if not encryption.is_sealed(device.sealed_secret):
            context = encryption.totp_context(device.user_id)
            device.sealed_secret = encryption.seal(device.sealed_secret, context=context)
            device.save(update_fields=["sealed_secret"])
    for provider in SignInProvider.objects.all():
        if not encryption.is_sealed(provider.sealed_client_secret):
            context = encryption.provider_context(provider.organisation_id)
            provider.sealed_client_secret = encryption.seal(
                provider.sealed_client_secret, context=context
            )
            provider.save(update_fields=["sealed_client_secret"])


def open_again(apps, schema_editor):  # type: ignore[no-untyped-def]
    TotpDevice = apps.get_model("security", "TotpDevice")
    SignInProvider = apps.get_model("security", "SignInProvider")
    for device in TotpDevice.objects.all():
        if encryption.is_sealed(device.sealed_secret):
            context = encryption.totp_context(device.user_id)
            device.sealed_secret = encryption.unseal(device.sealed_secret, context=context)
            device.save(update_fields=["sealed_secret"])
    for provider in SignInProvider.objects.all():
        if encryption.is_sealed(provider.sealed_client_secret):
            context = encryption.provider_context(provider.organisation_id)
            provider.sealed_client_secret = encryption.unseal(
                provider.sealed_client_secret, context=context
            )
            provider.save(update_fields=["sealed_client_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0002_signinprovider"),
    ]

    operations = [
        migrations.RenameField(
            model_name="totpdevice", old_name="secret", new_name="sealed_secret"
        ),
        migrations.AlterField(
            model_name="totpdevice", name="sealed_secret", field=models.TextField()
        ),
        migrations.RenameField(
            model_name="signinprovider", old_name="client_secret", new_name="sealed_client_secret"
        ),
        migrations.AlterField(
            model_name="signinprovider", name="sealed_client_secret", field=models.TextField()
        ),
        migrations.RunPython(seal_existing, open_again),
    ]
