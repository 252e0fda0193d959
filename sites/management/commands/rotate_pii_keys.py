"""`manage.py rotate_pii_keys`: re-encrypt every stored ID number, phone and TOTP secret under the newest key.

Rotation: put the new key FIRST in WUZHA_PII_KEYS (keep the old ones after it), restart, run this
command, then remove the old keys. Rows are rewritten in batches, each batch in one transaction;
running it again is harmless. The keyed hashes do not change (they use WUZHA_PII_HASH_KEY).
"""
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sites.models import KeyPerson, Premises, Relative, TotpDevice
from wuzha.lib.crypto import TOKEN_PREFIX, EncryptedCharField, rotate

MODELS = (KeyPerson, Relative, Premises, TotpDevice)  # TotpDevice: second-factor secrets


def encrypted_columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def rotate_model(model, batch_size: int = 500) -> int:
    """Rewrite the raw tokens of one model's encrypted columns; returns the number of rows."""
    table, columns = model._meta.db_table, encrypted_columns(model)
    quote = connection.ops.quote_name
    done, last = 0, 0
    while True:
        with transaction.atomic():
            rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not rows:
                return done
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {quote('id')}, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
                    f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(rows))})",
                    rows,
                )
                for pk, *tokens in cursor.fetchall():
                    new = [rotate(t) if t and t.startswith(TOKEN_PREFIX) else t for t in tokens]
                    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
                    cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE {quote('id')} = %s", [*new, pk])
            done += len(rows)
            last = rows[-1]


class Command(BaseCommand):
    help = "用 WUZHA_PII_KEYS 中的第一个(最新)密钥重新加密全部身份证号、电话和动态口令密钥。"

    def handle(self, *args, **options):
        for model in MODELS:
            n = rotate_model(model)
            self.stdout.write(f"{model._meta.verbose_name}:已重新加密 {n} 行")
        self.stdout.write(self.style.SUCCESS("密钥轮换完成。确认无误后可从 WUZHA_PII_KEYS 中删除旧密钥。"))
