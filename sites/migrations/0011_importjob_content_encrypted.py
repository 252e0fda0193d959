"""Uploaded import files encrypted at rest (Fernet under WUZHA_PII_KEYS), existing rows converted.

Works on the raw column, as 0010 does (the field now decrypts on read). A value already holding a Fernet
token is left alone, so the migration may be re-run; an uploaded .xlsx starts with "PK", a CSV with text.
"""
from django.db import migrations

import wuzha.lib.crypto
from wuzha.lib.crypto import TOKEN_PREFIX_BYTES, decrypt_bytes, encrypt_bytes


def _convert(schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, col, pk = quote("sites_importjob"), quote("content"), quote("id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk} FROM {table}")
        ids = [row[0] for row in cursor.fetchall()]
        for row_id in ids:  # one file at a time: uploads are up to 10 MB each
            cursor.execute(f"SELECT {col} FROM {table} WHERE {pk} = %s", [row_id])
            value = bytes(cursor.fetchone()[0] or b"")
            new = change(value)
            if new != value:
                cursor.execute(f"UPDATE {table} SET {col} = %s WHERE {pk} = %s",
                               [connection.Database.Binary(new), row_id])  # fmt: skip
    return len(ids)


def encrypt_contents(apps, schema_editor):
    return _convert(schema_editor, lambda v: v if not v or v.startswith(TOKEN_PREFIX_BYTES) else encrypt_bytes(v))


def decrypt_contents(apps, schema_editor):
    return _convert(schema_editor, lambda v: decrypt_bytes(v) if v.startswith(TOKEN_PREFIX_BYTES) else v)


class Migration(migrations.Migration):

    dependencies = [
        ('sites', '0010_totp_secret_encrypted'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importjob',
            name='content',
            field=wuzha.lib.crypto.EncryptedBinaryField(default=b'', verbose_name='文件内容'),
        ),
        migrations.RunPython(encrypt_contents, decrypt_contents, elidable=False),
    ]
