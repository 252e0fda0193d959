#!/usr/bin/env bash
# Restore an archive made by backup.sh into an EMPTY database and media directory.
#   scripts/restore.sh ARCHIVE
# DATABASE_URL and MEDIA_ROOT name the targets (as for backup.sh). Checksums are verified first;
# the script refuses a database that already has tables, so it never mixes two data sets.
set -euo pipefail
cd "$(dirname "$0")/.."
# Values from .env fill in what the environment does not set (as in the Django settings).
if [ -f .env ]; then
  while IFS='=' read -r key value; do
    value=${value#[\"\']}; value=${value%[\"\']}
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] && [ -z "${!key+x}" ] && export "$key=$value" || true
  done < .env
fi
archive=${1:?用法:scripts/restore.sh 备份文件.tar.gz}
db_url=${DATABASE_URL:-sqlite:///$PWD/db.sqlite3}
media=${MEDIA_ROOT:-$PWD/media}
work=$(mktemp -d -t wuzha-restore.XXXXXX)
trap 'rm -rf "$work"' EXIT

tar -C "$work" -xzf "$archive"
(cd "$work" && sha256sum --check --quiet SHA256SUMS) || { echo "restore.sh: 校验和不符,备份文件已损坏" >&2; exit 3; }

case "$db_url" in
  postgres://*|postgresql://*)
    tables=$(psql "$db_url" -tAc "select count(*) from information_schema.tables where table_schema='public'")
    [ "$tables" = 0 ] || { echo "restore.sh: 目标数据库不是空库($tables 张表),已停止" >&2; exit 4; }
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$db_url" "$work/db.pgdump" ;;
  sqlite:///*)
    target=${db_url#sqlite:///}
    if [ -s "$target" ] && [ "$(sqlite3 "$target" "select count(*) from sqlite_master where type='table'")" != 0 ]; then
      echo "restore.sh: 目标数据库不是空库,已停止" >&2; exit 4
    fi
    sqlite3 "$target" ".restore '$work/db.sqlite3'" ;;
  *) echo "restore.sh: 不支持的 DATABASE_URL:${db_url%%:*}" >&2; exit 2 ;;
esac
mkdir -p "$media"
tar -C "$media" -xf "$work/media.tar"
echo "已恢复:$archive"
