#!/bin/sh
# Publishes a release to the update server and sets its rollout percentage:
#   deploy/update-server/stage.sh kiosk dist/release/kiosk 10     # 10 % of kiosks
#   deploy/update-server/stage.sh kiosk dist/release/kiosk 100    # everyone
# Files are copied first and the yml last, so no station sees a release whose files are
# not there yet. Lowering the percentage stops further stations from taking it (those
# that updated stay updated; roll back by publishing a higher version of the old code).
set -eu
app="$1"; release="$2"; percent="$3"
root="${HALL_UPDATES_ROOT:-/srv/hall-updates}/$app"
case "$percent" in ''|*[!0-9]*) echo "percentage must be 0-100" >&2; exit 2;; esac
[ "$percent" -le 100 ] || { echo "percentage must be 0-100" >&2; exit 2; }
mkdir -p "$root"
for file in "$release"/*.exe "$release"/*.AppImage "$release"/*.deb "$release"/*.blockmap; do
  [ -e "$file" ] && cp -n "$file" "$root/"
done
for yml in "$release"/latest*.yml; do
  [ -e "$yml" ] || continue
  tmp="$root/.$(basename "$yml").tmp"
  grep -v '^stagingPercentage:' "$yml" > "$tmp"
  echo "stagingPercentage: $percent" >> "$tmp"
  mv "$tmp" "$root/$(basename "$yml")"
done
echo "$app: $(grep -h '^version:' "$root"/latest*.yml | head -1) at ${percent}%"
