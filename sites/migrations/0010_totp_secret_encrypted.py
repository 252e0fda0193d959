"""TOTP secrets encrypted at rest (Fernet under WUZHA_PII_KEYS, like ID numbers), existing rows converted.

The conversion works on the raw column (the field class now decrypts on read, so the ORM cannot read the
old plain values). A value already holding a Fernet token is left alone, so the migration may be re-run;
a base32 secret (A–Z, 2–7) can never start with the token prefix "gAAAAA".
"""
from django.db import migrations

import wuzha.lib.crypto
from wuzha.lib.crypto import TOKEN_PREFIX, decrypt, encrypt


def _convert(schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, col, pk = quote("sites_totpdevice"), quote("secret"), quote("id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {col} FROM {table}")
        rows = cursor.fetchall()
        for row_id, value in rows:
            new = change(value or "")
            if new != value:
                cursor.execute(f"UPDATE {table} SET {col} = %s WHERE {pk} = %s", [new, row_id])
    return len(rows)


def encrypt_secrets(apps, schema_editor):
    return _convert(schema_editor, lambda v: v if not v or v.startswith(TOKEN_PREFIX) else encrypt(v))


def decrypt_secrets(apps, schema_editor):
    return _convert(schema_editor, lambda v: decrypt(v) if v.startswith(TOKEN_PREFIX) else v)


class Migration(migrations.Migration):

    dependencies = [
        ('sites', '0009_reminders'),
    ]

    operations = [
        migrations.AlterField(
            model_name='totpdevice',
            name='secret',
            field=wuzha.lib.crypto.EncryptedCharField(verbose_name='密钥'),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False),
    ]
