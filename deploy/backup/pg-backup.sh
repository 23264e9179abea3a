#!/bin/sh
# Nightly logical backup of the central API's PostgreSQL database (custom format, which
# pg_restore can restore selectively and in parallel). Keeps 14 days. Run from a timer:
#   /etc/systemd/system/hall-pg-backup.{service,timer} (docs/OPERATIONS.md).
# Restore: createdb hall && pg_restore --no-owner --exit-on-error -d hall <file>
set -eu
: "${DATABASE_URL:?set DATABASE_URL=postgres://…}"
dir="${HALL_BACKUP_DIR:-/var/backups/hall}"
mkdir -p "$dir"
file="$dir/hall-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file="$file.partial" "$DATABASE_URL"
# pg_restore --list reads the whole archive: a truncated dump fails here, not on restore day.
pg_restore --list "$file.partial" > /dev/null
mv "$file.partial" "$file"
find "$dir" -name 'hall-*.dump' -mtime +14 -delete
echo "$file"
