#!/bin/sh
# deb postrm: stop the unit; configuration and data stay (a reinstall picks them up).
set -e
for app in kiosk counter display; do
  if [ ! -e "/opt/hall-$app/hall-$app" ] && [ -d /run/systemd/system ]; then
    systemctl disable --now "hall-station@$app" 2>/dev/null || true
  fi
done
