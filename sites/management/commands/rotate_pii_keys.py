"""`manage.py rotate_pii_keys`: re-encrypt every encrypted column under the newest key: ID numbers, phones, tip-off
contacts, TOTP secrets, uploaded import files, and their history rows (every model with an encrypted field).

Rotation: put the new key FIRST in WUZHA_PII_KEYS (keep the old ones after it), restart, run this
command, then remove the old keys. Rows are rewritten in batches, each batch in one transaction;
running it again is harmless. The keyed hashes do not change (they use WUZHA_PII_HASH_KEY).
"""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from wuzha.lib.crypto import (
    TOKEN_PREFIX,
    TOKEN_PREFIX_BYTES,
    EncryptedBinaryField,
    EncryptedCharField,
    rotate,
    rotate_bytes,
)


def encrypted_columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, (EncryptedCharField, EncryptedBinaryField))]


def encrypted_models() -> list:
    """Every model with an encrypted column, history models included (found, not listed: none is forgotten)."""
    return [m for m in apps.get_models() if not m._meta.proxy and encrypted_columns(m)]


def _rotate_value(value):
    if isinstance(value, str):
        return rotate(value) if value.startswith(TOKEN_PREFIX) else value
    if value is not None and bytes(value[:6]) == TOKEN_PREFIX_BYTES:
        return connection.Database.Binary(rotate_bytes(bytes(value)))
    return value


def rotate_model(model, batch_size: int = 500) -> int:
    """Rewrite the raw tokens of one model's encrypted columns; returns the number of rows."""
    table, columns, key = model._meta.db_table, encrypted_columns(model), model._meta.pk.column
    quote = connection.ops.quote_name
    done, last = 0, 0
    while True:
        with transaction.atomic():
            rows = list(model._base_manager.filter(pk__gt=last).order_by("pk")
                        .values_list("pk", flat=True)[:batch_size])  # fmt: skip
            if not rows:
                return done
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {quote(key)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
                    f"WHERE {quote(key)} IN ({', '.join(['%s'] * len(rows))})",
                    rows,
                )
                for pk, *tokens in cursor.fetchall():
                    new = [_rotate_value(t) if t else t for t in tokens]
                    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
                    cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE {quote(key)} = %s", [*new, pk])
            done += len(rows)
            last = rows[-1]


class Command(BaseCommand):
    help = "用 WUZHA_PII_KEYS 中的第一个(最新)密钥重新加密全部身份证号、电话、举报人联系方式、动态口令密钥和待导入文件。"

    def handle(self, *args, **options):
        for model in encrypted_models():
            n = rotate_model(model)
            self.stdout.write(f"{model._meta.verbose_name}:已重新加密 {n} 行")
        self.stdout.write(self.style.SUCCESS("密钥轮换完成。确认无误后可从 WUZHA_PII_KEYS 中删除旧密钥。"))
