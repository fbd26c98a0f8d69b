#!/bin/sh
# A system unit of units/ as a user's systemd manager runs it: prints FILE with the user's paths,
# and without what a user manager cannot do: switch users, drop capabilities, set up mount or
# network namespaces. It keeps the part of the sandbox a process may take on by itself (seccomp
# filters, address families, no new privileges). Used by install.sh (a user install) and by the
# receiver's package build (its units in /usr/lib/systemd/user).
#   user-unit.sh FILE PROGRAMS SETTINGS IMAGES [PORT]
# PROGRAMS replaces /opt/lookout, SETTINGS /etc/lookout, IMAGES /var/lib/lookout/images; PORT, when
# given, replaces 4444 in ListenStream=.
set -eu
[ $# -ge 4 ] || { echo "Error: usage: user-unit.sh FILE PROGRAMS SETTINGS IMAGES [PORT]" >&2; exit 64; }
port=${5:-4444}
sed -e "s|/opt/lookout|$2|g" -e "s|/etc/lookout|$3|g" -e "s|/var/lib/lookout/images|$4|g" \
    -e "/^ListenStream=/s|:4444\$|:$port|" \
    -E -e '/^(User|Group|CapabilityBoundingSet|DevicePolicy|KeyringMode|ProcSubset|ReadWritePaths|RemoveIPC)=/d' \
    -e '/^(Private|Protect)[A-Za-z]*=/d' -- "$1"
