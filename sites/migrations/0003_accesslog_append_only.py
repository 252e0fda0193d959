"""On PostgreSQL the access log refuses UPDATE and DELETE in the database itself, not only in Python."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION sites_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '访问日志只能新增,不能修改或删除 (sites_accesslog is append-only)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sites_accesslog_append_only
    BEFORE UPDATE OR DELETE ON sites_accesslog
    FOR EACH ROW EXECUTE FUNCTION sites_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS sites_accesslog_append_only ON sites_accesslog;
DROP FUNCTION IF EXISTS sites_accesslog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_keypersons_premises_incidents")]
    operations = [migrations.RunPython(forwards, backwards)]
