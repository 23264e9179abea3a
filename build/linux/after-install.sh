#!/bin/sh
# deb postinst for hall-<app>: a system user, the config and data directories, and the
# systemd unit that starts the station at boot and restarts it after a crash.
set -e
APP=""
for candidate in kiosk counter display; do
  if [ -x "/opt/hall-$candidate/hall-$candidate" ]; then APP="$candidate"; fi
done
[ -n "$APP" ] || exit 0
id hall >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/hall --shell /usr/sbin/nologin --groups dialout,video,audio,plugdev,lp hall || true
install -d -m 0755 /etc/hall
install -d -m 0750 -o hall -g hall "/var/lib/hall/$APP"
if [ ! -e "/etc/hall/$APP.json" ] && [ -e "/opt/hall-$APP/resources/station.example.json" ]; then
  install -m 0640 -o root -g hall "/opt/hall-$APP/resources/station.example.json" "/etc/hall/$APP.json.example"
fi
if [ -d /run/systemd/system ] && [ -e "/opt/hall-$APP/resources/hall-station@.service" ]; then
  install -m 0644 "/opt/hall-$APP/resources/hall-station@.service" /etc/systemd/system/hall-station@.service
  systemctl daemon-reload || true
  echo "hall-$APP installed: edit /etc/hall/$APP.json, then: systemctl enable --now hall-station@$APP"
fi
