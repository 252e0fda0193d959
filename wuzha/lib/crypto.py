"""Encryption at rest and keyed hashes for personal data (resident ID numbers, phones).

- `encrypt` / `decrypt`: Fernet tokens under a MultiFernet built from settings.WUZHA_PII_KEYS (newest
  first): new values use the first key; any listed key decrypts, so keys rotate without downtime.
- `keyed_hash`: HMAC-SHA256 under settings.WUZHA_PII_HASH_KEY, for exact search and duplicate
  detection without decrypting rows. Values are normalised first (upper case, no spaces).
- `EncryptedCharField`: a model field that stores the token and hands Python code the plaintext.
- `EncryptedBinaryField`: the same for bytes (uploaded files kept until imported or purged).

Both serialise as their ciphertext (`dumpdata`, fixtures): a dump holds tokens, never plaintext, and
`loaddata` reads the tokens back (`to_python` decrypts a token).
"""
import hashlib
from base64 import b64encode
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts with this (version byte + timestamp high bytes)


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("未配置 WUZHA_PII_KEYS,无法加解密个人信息。")
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"WUZHA_PII_KEYS 中有无效的 Fernet 密钥:{exc}") from exc


def fernet() -> MultiFernet:
    return _multifernet(tuple(settings.WUZHA_PII_KEYS))


def normalise(value: str) -> str:
    return "".join(str(value).split()).upper()


def encrypt(value: str) -> str:
    return fernet().encrypt(str(value).encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("个人信息无法解密:密钥不匹配(检查 WUZHA_PII_KEYS 是否包含旧密钥)。") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key (MultiFernet.rotate keeps the original timestamp)."""
    return fernet().rotate(token.encode()).decode() if token else ""


def keyed_hash(value: str) -> str:
    if not value:
        return ""
    key = settings.WUZHA_PII_HASH_KEY.encode()
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores a Fernet token; Python sees the plaintext. Not searchable: pair it with a keyed-hash field."""

    description = "加密文本"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else (value or "")

    def value_to_string(self, obj):
        """The serialised form is the token: `dumpdata` must not write ID numbers and phones in plain text."""
        return encrypt(self.value_from_object(obj) or "")


TOKEN_PREFIX_BYTES = TOKEN_PREFIX.encode()


def encrypt_bytes(value: bytes) -> bytes:
    return fernet().encrypt(bytes(value)) if value else b""


def decrypt_bytes(token: bytes) -> bytes:
    if not token:
        return b""
    try:
        return fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise ImproperlyConfigured("文件内容无法解密:密钥不匹配(检查 WUZHA_PII_KEYS 是否包含旧密钥)。") from exc


def rotate_bytes(token: bytes) -> bytes:
    return fernet().rotate(bytes(token)) if token else b""


class EncryptedBinaryField(models.BinaryField):
    """Stores bytes as a Fernet token; Python sees the plain bytes (an empty value stays empty)."""

    description = "加密二进制内容"

    def from_db_value(self, value, expression, connection):
        return decrypt_bytes(value) if value else value

    def to_python(self, value):
        value = super().to_python(value)  # a serialised value is base64 text
        if isinstance(value, (bytes, bytearray, memoryview)) and bytes(value[:6]) == TOKEN_PREFIX_BYTES:
            return decrypt_bytes(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_bytes(value) if value else value

    def value_to_string(self, obj):
        return b64encode(encrypt_bytes(self.value_from_object(obj) or b"")).decode("ascii")
