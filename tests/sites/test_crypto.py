"""Personal data at rest: encrypted columns, keyed hashes, key rotation, and loud failure without keys."""
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from sites.models import KeyPerson, Relative
from sites.services_keypersons import keyperson_duplicates
from wuzha.lib import crypto

from .factories import KeyPersonFactory, RelativeFactory, valid_id


def raw_row(model, pk, *columns):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def test_raw_database_row_holds_no_plaintext_id_or_phone(world):
    number = valid_id(7)
    person = KeyPersonFactory(village=world.village_a, id_number=number, phone="13912345678", phone_alt="13800001111")
    relative = RelativeFactory(person=person, phone="13700002222")
    row = raw_row(KeyPerson, person.pk, "id_number", "phone", "phone_alt", "id_number_hash", "phone_hash")
    flat = " ".join(str(v) for v in row)
    for secret in (number, number[6:14], "13912345678", "13800001111", "12345678"):
        assert secret not in flat
    assert row[0].startswith(crypto.TOKEN_PREFIX) and row[1].startswith(crypto.TOKEN_PREFIX)
    assert "13700002222" not in str(raw_row(Relative, relative.pk, "phone"))
    person.refresh_from_db()
    assert person.id_number == number and person.phone == "13912345678"


def test_keyed_hash_finds_a_duplicate_across_villages_without_decrypting(world, django_assert_num_queries):
    number = valid_id(11)
    KeyPersonFactory(village=world.village_c, id_number=number)
    mine = KeyPersonFactory(village=world.village_a, id_number=number)
    KeyPersonFactory(village=world.village_b)  # another person: not a duplicate
    with django_assert_num_queries(1):
        dups = keyperson_duplicates(person=mine)
    assert [(d.town, d.village) for d in dups] == [(world.town_y.name, world.village_c.name)]
    assert crypto.keyed_hash(number) == crypto.keyed_hash(f" {number.lower()} ")


def test_hash_key_differs_from_secret_key_and_hash_is_keyed(settings):
    number = valid_id(3)
    first = crypto.keyed_hash(number)
    settings.WUZHA_PII_HASH_KEY = "another-key"
    assert crypto.keyed_hash(number) != first
    assert settings.WUZHA_PII_KEYS[0] != settings.SECRET_KEY


def test_rotate_pii_keys_re_encrypts_under_the_new_key(world, settings):
    old_key = settings.WUZHA_PII_KEYS[0]
    person = KeyPersonFactory(village=world.village_a, phone="13911112222")
    RelativeFactory(person=person, phone="13722223333")
    before = raw_row(KeyPerson, person.pk, "id_number")[0]
    new_key = Fernet.generate_key().decode()
    settings.WUZHA_PII_KEYS = [new_key, old_key]
    call_command("rotate_pii_keys", stdout=open(os.devnull, "w"))
    after = raw_row(KeyPerson, person.pk, "id_number")[0]
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == person.id_number
    settings.WUZHA_PII_KEYS = [new_key]  # the old key can now go
    fresh = KeyPerson.objects.get(pk=person.pk)
    assert fresh.phone == "13911112222" and fresh.relatives.get().phone == "13722223333"
    assert fresh.id_number_hash == crypto.keyed_hash(fresh.id_number)


def test_without_the_old_key_decryption_fails_loudly(world, settings):
    person = KeyPersonFactory(village=world.village_a)
    settings.WUZHA_PII_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="密钥不匹配"):
        KeyPerson.objects.get(pk=person.pk)


def test_production_settings_refuse_to_start_without_pii_keys():
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUZHA_PII")}
    env.update(DJANGO_SETTINGS_MODULE="wuzha.settings.prod", SECRET_KEY="x" * 60, DEBUG="false")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "WUZHA_PII_KEYS" in result.stderr
