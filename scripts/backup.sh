#!/usr/bin/env bash
# Back up the database and the uploaded files into one dated archive with checksums.
#   scripts/backup.sh [DEST_DIR]            (default DEST_DIR: ./backups)
# Reads DATABASE_URL (PostgreSQL: pg_dump custom format; SQLite: sqlite3 .backup, safe while the
# site runs) and MEDIA_ROOT (default ./media) from the environment or .env. Prints the archive path.
set -euo pipefail
cd "$(dirname "$0")/.."
# Values from .env fill in what the environment does not set (as in the Django settings).
if [ -f .env ]; then
  while IFS='=' read -r key value; do
    value=${value#[\"\']}; value=${value%[\"\']}
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] && [ -z "${!key+x}" ] && export "$key=$value" || true
  done < .env
fi
dest=${1:-backups}
db_url=${DATABASE_URL:-sqlite:///$PWD/db.sqlite3}
media=${MEDIA_ROOT:-$PWD/media}
stamp=$(date +%Y%m%d-%H%M%S)
work=$(mktemp -d -t wuzha-backup.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"

case "$db_url" in
  postgres://*|postgresql://*)
    pg_dump --format=custom --no-owner --no-privileges --dbname="$db_url" --file="$work/db.pgdump" ;;
  sqlite:///*)
    source_db=${db_url#sqlite:///}
    [ -f "$source_db" ] || { echo "backup.sh: 数据库文件不存在:$source_db" >&2; exit 2; }
    sqlite3 "$source_db" ".backup '$work/db.sqlite3'" ;;
  *) echo "backup.sh: 不支持的 DATABASE_URL:${db_url%%:*}" >&2; exit 2 ;;
esac
if [ -d "$media" ]; then
  tar -C "$media" -cf "$work/media.tar" .
else
  tar -cf "$work/media.tar" -T /dev/null
fi
(cd "$work" && sha256sum db.* media.tar > SHA256SUMS)
archive="$dest/wuzha-$stamp.tar.gz"
tar -C "$work" -czf "$archive.part" .
mv "$archive.part" "$archive"  # never leave a half-written archive under the final name
echo "$archive"
