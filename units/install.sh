#!/bin/sh
# Installs Lookout from this checkout, with its systemd units.
#
#   units/install.sh receiver [--user|--system]   the laptop (default --user: images in ~/Pictures/Lookout)
#   units/install.sh agent [--to HOST:PORT] [--camera NAME] [--source SPEC] [--key FILE]
#                                                  the camera (system units; run as root)
#   units/install.sh uninstall receiver [--user|--system] | uninstall agent
#
# Builds the jars when they are missing (mvn), copies them and their launchers, puts config files
# from config/ in place without replacing edited ones, creates the receiver's key, installs and
# enables the units. Uninstalling removes programs and units and keeps configuration, keys,
# images and the spool. DESTDIR-free on purpose: it installs into this machine.
set -eu

here=$(cd -- "$(dirname -- "$0")" && pwd)
top=$(dirname -- "$here")

fail() {
    echo "Error: $*" >&2
    exit "${2:-64}"
}
say() {
    echo "lookout: $*"
}
usage() {
    sed -n '3,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

[ $# -ge 1 ] || usage
action=install
if [ "$1" = uninstall ]; then
    action=uninstall
    shift
    [ $# -ge 1 ] || usage
fi
what=$1
shift
mode=
to= camera= source= key=
while [ $# -gt 0 ]; do
    case $1 in
        --user) mode=user ;;
        --system) mode=system ;;
        --to) to=${2:?--to needs HOST:PORT}; shift ;;
        --camera) camera=${2:?--camera needs a name}; shift ;;
        --source) source=${2:?--source needs a source}; shift ;;
        --key) key=${2:?--key needs the key file}; shift ;;
        *) fail "unknown option $1 (see units/install.sh without arguments)" ;;
    esac
    shift
done
case $what in
    receiver) mode=${mode:-user} ;;
    agent) [ "${mode:-system}" = system ] || fail "the agent installs as a system service"; mode=system ;;
    *) usage ;;
esac
if [ "$mode" = system ] && [ "$(id -u)" != 0 ]; then
    fail "a system install needs root (sudo $0 ...)" 77
fi
if [ "$mode" = user ] && [ "$(id -u)" = 0 ]; then
    fail "a user install is for your own account: run it without sudo (or use --system)" 64
fi

if [ "$mode" = system ]; then
    prefix=/opt/lookout
    etc=/etc/lookout
    unitdir=/etc/systemd/system
    images=/var/lib/lookout/images
    systemctl() { command systemctl "$@"; }
else
    prefix=${XDG_DATA_HOME:-$HOME/.local/share}/lookout
    etc=${XDG_CONFIG_HOME:-$HOME/.config}/lookout
    unitdir=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
    images=$HOME/Pictures/Lookout
    systemctl() { command systemctl --user "$@"; }
fi

# The units as installed: the system ones as they are; for a user, with the user's paths, and
# without what a user manager cannot do: switch users, drop capabilities, set up mount or network
# namespaces. Its units keep the part of the sandbox a process may take on by itself (seccomp
# filters, address families, no new privileges).
unit() {
    if [ "$mode" = system ]; then
        cat -- "$1"
    else
        sed -e "s|/opt/lookout|$prefix|g" -e "s|/etc/lookout|$etc|g" \
            -e "s|/var/lib/lookout/images|$images|g" \
            -E -e '/^(User|Group|CapabilityBoundingSet|DevicePolicy|KeyringMode|ProcSubset|ReadWritePaths|RemoveIPC)=/d' \
            -e '/^(Private|Protect)[A-Za-z]*=/d' -- "$1"
    fi
}

build() {
    for jar in "$@"; do
        [ -r "$top/$jar" ] && continue
        say "building (mvn package)"
        (cd "$top" && mvn -B -q -DskipTests package) || fail "the build failed" 70
        return
    done
}

# A config file from config/ with KEY=VALUE lines set (uncommented) in it, unless one is there.
config() { # name, then key=value...
    name=$1
    shift
    target=$etc/$name
    if [ -e "$target" ]; then
        say "kept $target (already there)"
        return
    fi
    install -d -m 755 "$etc"
    cp -- "$top/config/$name" "$target.new"
    for pair in "$@"; do
        k=${pair%%=*}
        v=${pair#*=}
        [ -n "$v" ] || continue
        if grep -q "^#\{0,1\}$k=" "$target.new"; then
            sed -i "s|^#\{0,1\}$k=.*|$k=$v|" "$target.new"
        else
            echo "$k=$v" >>"$target.new"
        fi
    done
    mv -- "$target.new" "$target"
    say "wrote $target"
}

units() { # folder, then unit files
    folder=$1
    shift
    install -d -m 755 "$unitdir"
    for u in "$@"; do
        unit "$here/$folder/$u" >"$unitdir/$u"
        chmod 644 "$unitdir/$u"
    done
}

receiver_units="lookout-receiver.socket lookout-receiver@.service lookout-receiver-listener.socket
lookout-receiver-listener.service lookout-gallery.path lookout-gallery.service lookout-prune.timer
lookout-prune.service"
receiver_enable="lookout-receiver.socket lookout-gallery.path lookout-prune.timer"
agent_units="lookout-agent.service lookout-agent-flush.path lookout-agent-flush.service
lookout-agent-flush.timer lookout-snapshot.timer lookout-snapshot.service"
agent_enable="lookout-agent.service lookout-agent-flush.path lookout-agent-flush.timer lookout-snapshot.timer"

install_receiver() {
    build receiver/target/lookout-receiver.jar
    install -d -m 755 "$prefix"
    install -m 644 "$top/receiver/target/lookout-receiver.jar" "$prefix/"
    install -m 755 "$top/receiver/target/lookout-receiver" "$prefix/"
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/lookout-receiver
    if [ "$mode" = system ]; then
        install -d -m 755 /etc/sysusers.d /etc/tmpfiles.d
        install -m 644 "$here/receiver/lookout.sysusers" /etc/sysusers.d/lookout.conf
        install -m 644 "$here/receiver/lookout-receiver.tmpfiles" /etc/tmpfiles.d/lookout-receiver.conf
        systemd-sysusers lookout.conf
        systemd-tmpfiles --create lookout-receiver.conf
        cache=/var/cache/lookout-receiver
        install -d -m 755 -o lookout -g lookout "$cache"
    else
        install -d -m 750 "$images"
        install -d -m 755 "$cache"
    fi
    config receiver.properties "dir=$images" "key-file=$etc/receiver.key"
    if [ ! -e "$etc/receiver.key" ]; then
        "$prefix/lookout-receiver" keygen "$etc/receiver.key" 2>/dev/null
        [ "$mode" = user ] || chown lookout:lookout "$etc/receiver.key"
        say "created the key $etc/receiver.key"
    fi
    # The class-data-sharing archive for this machine's JDK, where the units look for it.
    if [ "$mode" = system ]; then
        setpriv --reuid=lookout --regid=lookout --clear-groups env CACHE_DIRECTORY="$cache" \
            "$prefix/lookout-receiver" --version >/dev/null
    else
        CACHE_DIRECTORY=$cache "$prefix/lookout-receiver" --version >/dev/null
    fi
    # shellcheck disable=SC2086 # lists of unit names
    units receiver $receiver_units
    systemctl daemon-reload
    # shellcheck disable=SC2086
    systemctl enable --now $receiver_enable
    if [ "$mode" = user ]; then
        loginctl enable-linger "$(id -un)" 2>/dev/null \
            || say "run 'loginctl enable-linger $(id -un)' to receive while you are logged out"
    fi
    say "receiving on port 4444; images go to $images (open $images/index.html)"
    say "now copy the key to the camera, e.g.:  scp -p $etc/receiver.key pi@camera:lookout.key"
    say "and on the camera:  sudo units/install.sh agent --key ~/lookout.key --to $(uname -n):4444 --camera front-door"
}

install_agent() {
    build agent/target/lookout-agent.jar
    install -d -m 755 "$prefix"
    install -m 644 "$top/agent/target/lookout-agent.jar" "$prefix/"
    install -m 755 "$top/agent/target/lookout-agent" "$prefix/"
    install -d -m 755 /etc/sysusers.d /etc/tmpfiles.d
    install -m 644 "$here/agent/lookout.sysusers" /etc/sysusers.d/lookout.conf
    install -m 644 "$here/agent/lookout-agent.tmpfiles" /etc/tmpfiles.d/lookout-agent.conf
    systemd-sysusers lookout.conf
    systemd-tmpfiles --create lookout-agent.conf
    install -d -m 755 "$etc"
    if [ -n "$key" ]; then
        [ -r "$key" ] || fail "cannot read the key $key" 66
        install -m 600 -o lookout -g lookout "$key" "$etc/agent.key"
        say "installed the key as $etc/agent.key"
    fi
    config agent.properties "to=$to" "camera=$camera" "source=$source" "key-file=$etc/agent.key"
    [ -e "$etc/agent.key" ] || say "no key yet: copy the receiver's key to $etc/agent.key (owner lookout, mode 0600)"
    # shellcheck disable=SC2086
    units agent $agent_units
    systemctl daemon-reload
    # shellcheck disable=SC2086
    systemctl enable --now $agent_enable
    say "running: '$prefix/lookout-agent ctl status' (as root or a member of group lookout) tells how it goes;"
    say "settings in $etc/agent.properties (then: systemctl restart lookout-agent)"
}

uninstall() { # units to disable, unit files to remove, then programs
    enabled=$1
    units_list=$2
    shift 2
    # shellcheck disable=SC2086
    systemctl disable --now $enabled 2>/dev/null || true
    systemctl stop 'lookout-*' 2>/dev/null || true
    for u in $units_list; do
        rm -f -- "$unitdir/$u"
    done
    systemctl daemon-reload
    for f in "$@"; do
        rm -f -- "$prefix/$f"
    done
    rmdir -- "$prefix" 2>/dev/null || true
    say "removed the programs and units; kept $etc, the images and the spool"
}

case $action-$what in
    install-receiver) install_receiver ;;
    install-agent) install_agent ;;
    uninstall-receiver) uninstall "$receiver_enable" "$receiver_units" lookout-receiver lookout-receiver.jar lookout-receiver.jsa ;;
    uninstall-agent) uninstall "$agent_enable" "$agent_units" lookout-agent lookout-agent.jar ;;
esac
