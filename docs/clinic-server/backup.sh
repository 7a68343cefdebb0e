#!/usr/bin/env bash
# Back up the Radiculopathy Desktop clinic server with PostgreSQL's own tools, and check
# the dump can be read back. For the clinic's IT; run it daily (cron or a systemd timer).
#
#   docs/clinic-server/backup.sh postgresql://it_admin@localhost/radiculopathy /var/backups/radiculopathy [KEEP]
#
# Run it as the login that ran `server init` (a member of radiculopathy_owner: a dump
# reads every table and sequence). The password comes from ~/.pgpass (or PGPASSFILE), never the command line. The dump is
# pg_dump's custom format (compressed; restore with pg_restore), written beside its final
# name and renamed only once `pg_restore --list` has read it through, owner-only (0600),
# in a folder only the owner can open (0700). The newest KEEP dumps (default 14) are kept.
#
# Restore into an empty database created by IT:
#   createdb --owner it_admin radiculopathy_restored
#   pg_restore --dbname=postgresql://it_admin@localhost/radiculopathy_restored --no-owner --role=radiculopathy_owner FILE
# Roles are cluster-wide and not in the dump: on a new server run `radiculopathy-desktop
# server init` first (it creates them), then restore.
set -euo pipefail
umask 077
url="${1:?usage: backup.sh SERVER_URL BACKUP_FOLDER [KEEP]}"
folder="${2:?usage: backup.sh SERVER_URL BACKUP_FOLDER [KEEP]}"
keep="${3:-14}"
case "$keep" in ''|*[!0-9]*) echo "KEEP must be a whole number" >&2; exit 2 ;; esac
case "$url" in *://*:*@*|*password=*) echo "the URL holds a password: put it in ~/.pgpass instead" >&2; exit 2 ;; esac
mkdir -p "$folder" && chmod 700 "$folder"
stamp="$(date -u +%Y%m%dT%H%M%S.%NZ)"  # nanoseconds: two runs never share a name
final="$folder/radiculopathy-$stamp.dump"
partial="$final.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --no-password --file="$partial" "$url"
# The check: pg_restore reads the whole table of contents; a truncated dump fails here.
entries="$(pg_restore --list "$partial" | grep -c 'TABLE DATA' || true)"
if [ "$entries" -lt 1 ]; then
  echo "the dump $partial has no table data: not kept" >&2
  exit 3
fi
mv "$partial" "$final"
trap - EXIT
echo "backup: $final ($entries tables with data)"
# Prune: keep the newest $keep dumps (names sort by time).
ls -1 "$folder"/radiculopathy-*.dump 2>/dev/null | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f -- "$old" && echo "removed old backup: $old"
done
