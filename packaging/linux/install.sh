#!/bin/sh
# Install the built folder on a Linux workstation (run as root, no internet needed):
#
#   sudo packaging/linux/install.sh [dist/radiculopathy-desktop]
#
# Copies the program to /opt/radiculopathy-desktop (replacing an older version), adds a
# command in /usr/local/bin, the menu entry and the icon. Run it again to upgrade.
#
# It never touches user data: each user's database lives in their own home folder
# (~/.local/share/radiculopathy-desktop, or RADICULOPATHY_DESKTOP_DATA_DIR) and is kept
# on upgrade and on uninstall. To uninstall the program only:
#   sudo rm -rf /opt/radiculopathy-desktop /usr/local/bin/radiculopathy-desktop \
#     /usr/share/applications/radiculopathy-desktop.desktop \
#     /usr/share/icons/hicolor/scalable/apps/radiculopathy-desktop.svg \
#     /usr/share/icons/hicolor/256x256/apps/radiculopathy-desktop.png
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-"$here/../../dist/radiculopathy-desktop"}
dest=/opt/radiculopathy-desktop
[ -x "$src/radiculopathy-desktop" ] || { echo "no built app in $src (run packaging/build.py first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (sudo)" >&2; exit 1; }
tmp="$dest.new.$$"
rm -rf "$tmp"
cp -a "$src" "$tmp"
rm -rf "$dest.old"
[ -d "$dest" ] && mv "$dest" "$dest.old"
mv "$tmp" "$dest"
rm -rf "$dest.old"
ln -sf "$dest/radiculopathy-desktop" /usr/local/bin/radiculopathy-desktop
install -Dm644 "$here/radiculopathy-desktop.desktop" /usr/share/applications/radiculopathy-desktop.desktop
install -Dm644 "$dest/_internal/resources/icons/radiculopathy-desktop.svg" \
  /usr/share/icons/hicolor/scalable/apps/radiculopathy-desktop.svg
install -Dm644 "$dest/_internal/resources/icons/radiculopathy-desktop.png" \
  /usr/share/icons/hicolor/256x256/apps/radiculopathy-desktop.png
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
QT_QPA_PLATFORM=offscreen "$dest/radiculopathy-desktop" --self-test
