#!/bin/sh
# Installs Lookout from this checkout, with its systemd units.
#
#   units/install.sh receiver [--user|--system]   the laptop (default --user: images in ~/Pictures/Lookout)
#   units/install.sh agent [--to HOST:PORT] [--camera NAME] [--source SPEC] [--key FILE]
#                                                  the camera (system units; run as root)
#   units/install.sh uninstall receiver [--user|--system] | uninstall agent
#   units/install.sh purge receiver [--user|--system] | purge agent
#
# Builds the jars when they are missing (mvn, as the checkout's owner), copies them, their
# launchers and docs, links the programs into /usr/local/bin (system) or ~/.local/bin (user), puts
# config files from config/ in place without replacing edited ones (the options given on a re-run
# are set in them), creates the receiver's key, installs and enables the units, and restarts what
# runs. Uninstalling removes programs, links and units and keeps configuration, keys, images and
# the spool; purging also removes configuration, keys, caches, the lookout user and its
# sysusers/tmpfiles entries and linger, but never images or the spool. DESTDIR-free on purpose:
# it installs into this machine.
set -eu

here=$(cd -- "$(dirname -- "$0")" && pwd)
top=$(dirname -- "$here")

fail() {
    echo "Error: $1" >&2
    exit "${2:-64}"
}
say() {
    echo "lookout: $*"
}
usage() {
    sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

[ $# -ge 1 ] || usage
action=install
if [ "$1" = uninstall ] || [ "$1" = purge ]; then
    action=$1
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
    cache=/var/cache/lookout-receiver
    bindir=/usr/local/bin
    systemctl() { command systemctl "$@"; }
else
    prefix=${XDG_DATA_HOME:-$HOME/.local/share}/lookout
    etc=${XDG_CONFIG_HOME:-$HOME/.config}/lookout
    unitdir=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
    images=$HOME/Pictures/Lookout
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/lookout-receiver
    bindir=$HOME/.local/bin
    systemctl() { command systemctl --user "$@"; }
fi

# The units as installed: the system ones as they are; for a user, with the user's paths (see
# user-unit.sh).
unit() {
    if [ "$mode" = system ]; then
        cat -- "$1"
    else
        sh "$here/user-unit.sh" "$1" "$prefix" "$etc" "$images"
    fi
}

# Builds as the checkout's owner (under sudo, a root build would leave root-owned target/ folders
# in the user's checkout), showing one line per module; the whole log is kept when it fails.
build() {
    for jar in "$@"; do
        [ -r "$top/$jar" ] && continue
        owner=$(stat -c %U -- "$top")
        as=
        if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
            as="setpriv --reuid=$owner --regid=$(stat -c %g -- "$top") --init-groups env HOME=$(getent passwd "$owner" | cut -d: -f6)"
        fi
        log=$(mktemp)
        say "building with Maven as $owner (mvn package; a first build downloads for a few minutes)"
        # shellcheck disable=SC2086 # $as is a command prefix
        (cd "$top" && exec $as mvn -B -Dstyle.color=never --no-transfer-progress -DskipTests package) >"$log" 2>&1 &
        builder=$!
        # progress: each module as Maven starts it
        tail -n +1 -f --pid="$builder" -- "$log" \
            | sed -n -E 's/^\[INFO\] Building (.*[^ ]) +\[[0-9]+\/[0-9]+\]$/lookout: building \1/p'
        if ! wait "$builder"; then
            tail -n 40 -- "$log" >&2
            fail "the build failed (the whole log: $log)" 70
        fi
        rm -f -- "$log"
        return
    done
}

# The programs on PATH and the docs the units name.
programs() { # program
    install -d -m 755 "$bindir" "$prefix/doc"
    ln -sfn -- "$prefix/$1" "$bindir/$1"
    install -m 644 "$top/docs/INSTALL.md" "$top/docs/AGENT.md" "$top/docs/RECEIVER.md" "$prefix/doc/"
    case :$PATH: in
        *:"$bindir":*) ;;
        *) say "$bindir is not on your PATH: add it (or log in again) to run $1 by name" ;;
    esac
}

# Sets KEY=VALUE lines (uncommented) in a file; empty values are skipped.
set_keys() { # file, then key=value...
    file=$1
    shift
    for pair in "$@"; do
        k=${pair%%=*}
        v=${pair#*=}
        [ -n "$v" ] || continue
        if grep -q "^#\{0,1\}$k=" "$file"; then
            sed -i "s|^#\{0,1\}$k=.*|$k=$v|" "$file"
        else
            echo "$k=$v" >>"$file"
        fi
    done
}

# A config file from config/ with the first KEY=VALUE lines set in it, unless one is there; the
# ones after "--" (the options given) are set in it either way.
config() { # name, key=value..., --, key=value...
    name=$1
    shift
    target=$etc/$name
    install -d -m 755 "$etc"
    if [ -e "$target" ]; then
        cp -p -- "$target" "$target.new"
        while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
    else
        cp -- "$top/config/$name" "$target.new"
    fi
    for pair in "$@"; do
        [ "$pair" = -- ] || set_keys "$target.new" "$pair"
    done
    if [ ! -e "$target" ]; then
        mv -- "$target.new" "$target"
        say "wrote $target"
    elif cmp -s -- "$target" "$target.new"; then
        rm -f -- "$target.new"
        say "kept $target"
    else
        diff -- "$target" "$target.new" | sed -n 's/^> /lookout: set in '"$name"': /p'
        mv -- "$target.new" "$target"
    fi
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
lookout-prune.service lookout-archive.path lookout-archive.timer lookout-archive.service"
receiver_enable="lookout-receiver.socket lookout-gallery.path lookout-prune.timer lookout-archive.path lookout-archive.timer"
agent_units="lookout-agent.service lookout-agent-flush.path lookout-agent-flush.service
lookout-agent-flush.timer lookout-snapshot.timer lookout-snapshot.service"
agent_enable="lookout-agent.service lookout-agent-flush.path lookout-agent-flush.timer lookout-snapshot.timer"

install_receiver() {
    build receiver/target/lookout-receiver.jar
    install -d -m 755 "$prefix"
    install -m 644 "$top/receiver/target/lookout-receiver.jar" "$prefix/"
    install -m 755 "$top/receiver/target/lookout-receiver" "$prefix/"
    programs lookout-receiver
    if [ "$mode" = system ]; then
        install -d -m 755 /etc/sysusers.d /etc/tmpfiles.d
        install -m 644 "$here/receiver/lookout.sysusers" /etc/sysusers.d/lookout.conf
        install -m 644 "$here/receiver/lookout-receiver.tmpfiles" /etc/tmpfiles.d/lookout-receiver.conf
        systemd-sysusers lookout.conf
        systemd-tmpfiles --create lookout-receiver.conf
        install -d -m 755 -o lookout -g lookout "$cache"
    else
        install -d -m 750 "$images"
        install -d -m 755 "$cache"
    fi
    config receiver.properties "dir=$images" "key-file=$etc/receiver.key" --
    if [ ! -e "$etc/receiver.key" ]; then
        "$prefix/lookout-receiver" keygen "$etc/receiver.key" 2>/dev/null
        [ "$mode" = user ] || chown lookout:lookout "$etc/receiver.key"
        say "created a new key $etc/receiver.key: every camera needs this one (a key from another install does not work here)"
        userkey=$(getent passwd "${SUDO_USER:-root}" | cut -d: -f6)/.config/lookout/receiver.key
        if [ "$mode" = system ] && [ -e "$userkey" ]; then
            say "to keep the key your cameras have from your user install instead:"
            say "  sudo install -m 600 -o lookout -g lookout $userkey $etc/receiver.key"
        fi
    fi
    # The class-data-sharing archive for this machine's JDK, where the units look for it.
    if [ "$mode" = system ]; then
        out=$(setpriv --reuid=lookout --regid=lookout --clear-groups env CACHE_DIRECTORY="$cache" \
            "$prefix/lookout-receiver" --version 2>&1) || fail "the receiver does not start: $out" 70
    else
        out=$(CACHE_DIRECTORY=$cache "$prefix/lookout-receiver" --version 2>&1) || fail "the receiver does not start: $out" 70
    fi
    # shellcheck disable=SC2086 # lists of unit names
    units receiver $receiver_units
    systemctl daemon-reload
    # shellcheck disable=SC2086
    systemctl enable --now $receiver_enable
    # a running listener serves with the program installed now
    systemctl try-restart lookout-receiver-listener.service
    if [ "$mode" = user ]; then
        loginctl enable-linger "$(id -un)" 2>/dev/null \
            || say "run 'loginctl enable-linger $(id -un)' to receive while you are logged out"
    fi
    say "receiving on port 4444; images go to $images (open $images/index.html)"
    if [ "$mode" = system ]; then
        say "now copy the key to the camera (only root may read it), e.g.:"
        say "  sudo cat $etc/receiver.key | ssh pi@camera 'umask 077; cat > lookout.key'"
    else
        say "now copy the key to the camera, e.g.:  scp -p $etc/receiver.key pi@camera:lookout.key"
    fi
    say "and on the camera:  sudo units/install.sh agent --key ~/lookout.key --to $(uname -n):4444 --camera front-door"
}

install_agent() {
    build agent/target/lookout-agent.jar
    install -d -m 755 "$prefix"
    install -m 644 "$top/agent/target/lookout-agent.jar" "$prefix/"
    install -m 755 "$top/agent/target/lookout-agent" "$prefix/"
    programs lookout-agent
    install -d -m 755 /etc/sysusers.d /etc/tmpfiles.d
    install -m 644 "$here/agent/lookout.sysusers" /etc/sysusers.d/lookout.conf
    install -m 644 "$here/agent/lookout-agent.tmpfiles" /etc/tmpfiles.d/lookout-agent.conf
    systemd-sysusers lookout.conf
    systemd-tmpfiles --create lookout-agent.conf
    install -d -m 755 "$etc"
    if [ -n "$key" ]; then
        [ -r "$key" ] || fail "cannot read the key $key" 66
        if [ -e "$etc/agent.key" ] && ! cmp -s -- "$key" "$etc/agent.key"; then
            say "replacing the key $etc/agent.key"
        fi
        install -m 600 -o lookout -g lookout "$key" "$etc/agent.key"
        say "installed the key as $etc/agent.key"
    fi
    config agent.properties "key-file=$etc/agent.key" -- "to=$to" "camera=$camera" "source=$source"
    [ -e "$etc/agent.key" ] || say "no key yet: copy the receiver's key to $etc/agent.key (owner lookout, mode 0600)"
    # The service sees neither /home, /root nor /run/user (ProtectHome=yes).
    folder=$(sed -n 's/^source=file://p' "$etc/agent.properties")
    case $folder in
        /home/* | /root/* | /run/user/*)
            say "warning: the agent cannot read $folder: its service sees no /home, /root or /run/user"
            say "  (ProtectHome=yes); move the pictures, e.g. to /srv/lookout, and run this again with --source file:/srv/lookout" ;;
    esac
    # shellcheck disable=SC2086
    units agent $agent_units
    systemctl daemon-reload
    # shellcheck disable=SC2086
    systemctl enable $agent_enable
    # (re)started: a re-run's settings, key and program take effect now
    # shellcheck disable=SC2086
    systemctl restart $agent_enable
    say "running: 'lookout-agent ctl status' tells how it goes (as root, or as a member of group lookout:"
    say "  sudo usermod -aG lookout \$USER, then log in again)"
    say "settings in $etc/agent.properties (after editing: sudo systemctl restart lookout-agent)"
}

uninstall() { # units to disable, unit files to remove, then programs
    enabled=$1
    units_list=$2
    shift 2
    # shellcheck disable=SC2086
    systemctl disable --now $enabled 2>/dev/null || true
    # (templates stop as their instances: a pattern for systemctl, not for this shell)
    set -f
    # shellcheck disable=SC2046
    systemctl stop $(echo "$units_list" | sed 's/@\./@*./g') 2>/dev/null || true
    set +f
    for u in $units_list; do
        rm -f -- "$unitdir/$u"
    done
    systemctl daemon-reload
    for f in "$@"; do
        # shellcheck disable=SC2086 # a pattern: the CDS archives, one per JDK
        rm -f -- "$prefix"/$f
        [ ! -L "$bindir/$f" ] || rm -f -- "$bindir/$f"
    done
    [ -e "$prefix/lookout-agent" ] || [ -e "$prefix/lookout-receiver" ] || rm -rf -- "$prefix/doc"
    rmdir -- "$prefix" 2>/dev/null || true
    say "removed the programs and units; kept $etc, the images and the spool"
}

# After uninstall: settings, key, caches, the tmpfiles entry; the user and linger when this was the
# last part installed. Never images or the spool.
purge() { # side
    side=$1
    rm -f -- "$etc/$side.properties" "$etc/$side.key"
    rmdir -- "$etc" 2>/dev/null || true
    # the units' cache, and the launcher's own for runs by hand (lookout-receiver gallery)
    [ "$side" = agent ] || rm -rf -- "$cache" "${XDG_CACHE_HOME:-$HOME/.cache}/lookout"
    if [ "$mode" = user ]; then
        loginctl disable-linger "$(id -un)" 2>/dev/null || true
        say "purged settings, key and cache; turned linger off ('loginctl enable-linger' turns it on again)"
        say "kept the images in $images"
        return
    fi
    rm -f -- "/etc/tmpfiles.d/lookout-$side.conf"
    if [ ! -e /etc/tmpfiles.d/lookout-agent.conf ] && [ ! -e /etc/tmpfiles.d/lookout-receiver.conf ]; then
        rm -f -- /etc/sysusers.d/lookout.conf
        if getent passwd lookout >/dev/null; then
            userdel lookout || say "could not remove the user lookout"
        fi
        if getent group lookout >/dev/null; then
            groupdel lookout || say "could not remove the group lookout"
        fi
        say "removed the user and group lookout and their sysusers/tmpfiles entries"
    fi
    say "purged settings, key and caches; kept the images in $images and the spool in /var/spool/lookout"
    say "  (their files keep the removed user's number: remove them yourself once you no longer want them)"
}

case $action-$what in
    install-receiver) install_receiver ;;
    install-agent) install_agent ;;
    *-receiver) uninstall "$receiver_enable" "$receiver_units" lookout-receiver lookout-receiver.jar 'lookout-receiver*.jsa' ;;
    *-agent) uninstall "$agent_enable" "$agent_units" lookout-agent lookout-agent.jar ;;
esac
[ "$action" != purge ] || purge "$what"
