#!/bin/sh
# The units under a real systemd: boots a container (systemd-nspawn, the host's /usr, an empty
# /etc and /var, an empty /usr/local/bin; the host's JDK, PAM and login settings bound in read-only), installs with
# units/install.sh as README says, and checks each scenario of the units issue from the outside.
# Needs root, systemd-container, java and the packaged build.
#   nspawn-e2e.sh REPO WORK
# REPO is mounted read-only at /src; WORK (a scratch folder) holds the container's bits.
set -eu
repo=$1
work=$2
name=lookout-e2e-$$
port=4444
agent="java -jar $repo/agent/target/lookout-agent.jar"

step() { echo "== $*"; }
ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; exit 1; }
inside() { nsenter -t "$pid1" -a "$@"; }
# Fails, with each failed unit's last journal lines, when a unit has failed.
no_failed_units() {
    failed=$(inside systemctl --failed --no-legend --plain | awk '{print $1}')
    [ -z "$failed" ] && return 0
    for unit in $failed; do
        echo "--- $unit:"
        inside journalctl -u "$unit" -n 15 --no-pager
    done
    fail "failed units: $failed"
}
# Waits up to $1 seconds for a shell condition (evaluated on the host).
await() {
    limit=$1
    shift
    i=0
    while ! sh -c "$*" >/dev/null 2>&1; do
        i=$((i + 1))
        [ "$i" -le $((limit * 5)) ] || return 1
        sleep 0.2
    done
}
count() { # images below a folder inside the container
    inside sh -c "find '$1' -name '*.jpg' -type f ! -name '.*' ! -path '*/.gallery/*' 2>/dev/null | wc -l"
}

# --- boot ---
mkdir -p "$work/system" "$work/clip" "$work/images"
ln -sf /dev/null "$work/system/systemd-firstboot.service"
ln -sf /dev/null "$work/system/systemd-machine-id-commit.service"
echo 0123456789abcdef0123456789abcdef >"$work/machine-id"
for tree in systemd unified; do
    mkdir -p "/sys/fs/cgroup/$tree/$name" 2>/dev/null || true
done
sh -c "for t in systemd unified; do echo \$\$ > /sys/fs/cgroup/\$t/$name/cgroup.procs 2>/dev/null || true; done
    exec systemd-nspawn --boot --register=no --keep-unit --console=pipe -M $name -D / --volatile=yes \
        --bind-ro=$work/machine-id:/etc/machine-id --bind=$work/system:/etc/systemd/system \
        --bind-ro=/etc/java-17-openjdk --bind-ro=/etc/alternatives --bind-ro=/etc/pam.d --bind-ro=/etc/security \
        --bind-ro=/etc/login.defs --bind-ro=$repo:/src --bind-ro=$work/clip:/clip --tmpfs=/usr/local/bin" \
    >"$work/console.log" 2>&1 &
nspawn=$!
cleanup() {
    [ -n "${pid1:-}" ] && nsenter -t "$pid1" -a systemctl poweroff >/dev/null 2>&1 || true
    i=0
    while kill -0 "$nspawn" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    kill -9 "$nspawn" 2>/dev/null || true
    for tree in systemd unified; do
        [ -d "/sys/fs/cgroup/$tree/$name" ] && find "/sys/fs/cgroup/$tree/$name" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    true
}
trap cleanup EXIT
await 30 "pgrep -P $nspawn" || fail "the container did not start: $(cat "$work/console.log")"
pid1=$(pgrep -P "$nspawn" | head -1)
await 60 "nsenter -t $pid1 -a systemctl is-system-running --wait" || true
ok "booted: $(inside systemctl is-system-running)"

# --- 0. the camera first, on a machine where no receiver was installed ---
step "agent: units/install.sh agent, before any receiver"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=5:duration=6" -q:v 4 "$work/clip/f%03d.jpg"
chmod -R a+rX "$work/clip"
java -jar "$repo/receiver/target/lookout-receiver.jar" keygen "$work/first.key" 2>/dev/null
cp "$work/first.key" "/proc/$pid1/root/root/first.key"
inside sh -c "cd /src && units/install.sh agent --key /root/first.key --to 127.0.0.1:$port --camera first --source file:/clip" \
    >"$work/agent-install.log" 2>&1 || fail "the agent install failed: $(cat "$work/agent-install.log")"
inside systemctl is-active -q lookout-agent || fail "the agent is not running: $(inside journalctl -u lookout-agent --no-pager | tail)"
ok "the agent installs and starts on a machine without a receiver"
await 30 "nsenter -t $pid1 -a journalctl -u lookout-agent -o cat --no-pager | grep -q 'waiting for the clock to be synchronised (NTP), 60 s at most'" \
    || fail "no word of the clock wait: $(inside journalctl -u lookout-agent --no-pager | tail)"
await 30 "nsenter -t $pid1 -a /usr/local/bin/lookout-agent ctl status | grep -q '^starting: waiting for clock sync'" \
    || fail "ctl status during the clock wait: $(inside /usr/local/bin/lookout-agent ctl status 2>&1)"
ok "the clock wait is logged, and ctl status answers during it"
await 90 "nsenter -t $pid1 -a journalctl -u lookout-agent -p warning -o cat --no-pager | grep -q '^WARN the clock is not synchronised after 60 s'" \
    || fail "no warning at priority warning: $(inside journalctl -u lookout-agent -p warning --no-pager | tail)"
! inside journalctl -u lookout-agent -p warning -o cat --no-pager | grep -q 'waiting for the clock' || fail "info lines at priority warning"
! inside journalctl -u lookout-agent -o cat --no-pager | grep -q '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' || fail "the agent's lines repeat their time"
ok "journalctl -p warning shows the agent's warning, not its info lines; no timestamps of its own"
# (the receiver's scenarios count their listener's starts: no camera calls meanwhile)
inside systemctl stop lookout-agent lookout-agent-flush.path lookout-agent-flush.timer lookout-snapshot.timer

# --- 1. the receiver, per connection ---
step "receiver: units/install.sh receiver --system"
inside sh -c 'cd /src && units/install.sh receiver --system' >"$work/receiver-install.log" 2>&1 \
    || fail "the receiver install failed: $(cat "$work/receiver-install.log")"
grep -q "^lookout: created a new key /etc/lookout/receiver.key" "$work/receiver-install.log" \
    && grep -q "sudo cat /etc/lookout/receiver.key | ssh pi@camera 'umask 077; cat > lookout.key'" "$work/receiver-install.log" \
    && ! grep -v -e '^lookout: ' -e '^Created symlink ' "$work/receiver-install.log" || fail "the receiver install's words: $(cat "$work/receiver-install.log")"
ok "the install says it made a new key and how to copy it; nothing else but systemctl's words"
cp "/proc/$pid1/root/etc/lookout/receiver.key" "$work/key"
inside systemctl is-active lookout-receiver.socket lookout-gallery.path lookout-prune.timer >/dev/null || fail "units not active"
images=/var/lib/lookout/images
# 20 JPEGs from ffmpeg
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=5:duration=4 -q:v 4 "$work/images/i%02d.jpg"
$agent send --to 127.0.0.1:$port --key-file "$work/key" --camera porch "$work"/images/*.jpg >"$work/send.log"
[ "$(count $images/porch)" -eq 20 ] || fail "20 images: $(count $images/porch); $(cat "$work/send.log")"
owners=$(inside sh -c "find $images/porch -name '*.jpg' -type f -printf '%u:%g %m\n' | sort -u")
[ "$owners" = "lookout:lookout 640" ] || fail "owner and mode: $owners"
ok "20 images uploaded, named as the sender was told, owned lookout:lookout 0640"
names=$(sed -n 's/.*: OK //p' "$work/send.log" | sort)
stored=$(inside sh -c "cd $images && find porch -name '*.jpg' -type f ! -name '.*' | sort")
[ "$names" = "$stored" ] || fail "names differ: $names / $stored"
senders=
for n in 1 2 3 4 5; do
    $agent send --to 127.0.0.1:$port --key-file "$work/key" --camera "gate$n" "$work"/images/i0[1-4].jpg >"$work/p$n.log" &
    senders="$senders $!"
done
# shellcheck disable=SC2086 # (not a bare 'wait': the container is a child of this shell too)
wait $senders
[ "$(count $images)" -eq 40 ] || fail "5 parallel uploads: $(count $images) images"
ok "5 parallel uploads"
reply=$(printf 'GET / HTTP/1.0\r\n\r\n' | nc -N 127.0.0.1 $port || true)
case $reply in ERR*) ;; *) fail "garbage got: $reply" ;; esac
await 10 "! nsenter -t $pid1 -a systemctl list-units 'lookout-receiver@*' --state=active --no-legend | grep -q ."
[ "$(count $images)" -eq 40 ] || fail "garbage stored something"
no_failed_units
ok "garbage: '$reply', no file, no failed unit"
code=$(echo "$reply" | cut -d' ' -f2)
inside journalctl -p warning -u 'lookout-receiver@*' -o cat --no-pager | grep -q "refused .*error=$code" \
    || fail "the refusal is not in the journal at priority warning: $(inside journalctl -u 'lookout-receiver@*' -o cat --no-pager | tail -5)"
ok "the refusal ($code) is in the journal at priority warning"
await 20 "nsenter -t $pid1 -a grep -q gate5 $images/index.html" || fail "the gallery .path unit did not update index.html"
ok "gallery updated by lookout-gallery.path"

# --- 2. Accept=no ---
step "receiver: the Accept=no listener"
inside sh -c "echo idle-exit=3s >> /etc/lookout/receiver.properties"
inside systemctl disable --now lookout-receiver.socket
inside systemctl enable --now lookout-receiver-listener.socket
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=160x120:rate=25:duration=8 -q:v 6 "$work/images/burst%03d.jpg"
ls "$work"/images/burst*.jpg | split -l 20 - "$work/burst-"
senders=
for list in "$work"/burst-*; do
    # shellcheck disable=SC2046
    $agent send --to 127.0.0.1:$port --key-file "$work/key" --camera burst $(cat "$list") >"$list.log" &
    senders="$senders $!"
done
# shellcheck disable=SC2086
wait $senders
[ "$(count $images/burst)" -eq 200 ] || fail "burst: $(count $images/burst) of 200"
starts=$(inside journalctl -u lookout-receiver-listener.service -o cat --no-pager | grep -c '^Started' || true)
[ "$starts" -eq 1 ] || fail "the burst took $starts listener starts"
await 30 "! nsenter -t $pid1 -a systemctl is-active -q lookout-receiver-listener.service" || fail "the listener did not exit on idle"
ok "200 images served by one listener, which then exited on idle"
inside systemctl disable --now lookout-receiver-listener.socket
inside systemctl enable --now lookout-receiver.socket

# --- 3. the agent ---
step "agent: units/install.sh agent again, with the receiver's key and another name"
# NTP has set the clock (the container has none of its own to wait for)
inside sh -c 'mkdir -p /run/systemd/timesync && touch /run/systemd/timesync/synchronized'
inside sh -c "cd /src && units/install.sh agent --key /etc/lookout/receiver.key --camera door" >"$work/agent-again.log" 2>&1 \
    || fail "the second agent install failed: $(cat "$work/agent-again.log")"
grep -q '^lookout: set in agent.properties: camera=door$' "$work/agent-again.log" \
    && grep -q '^lookout: replacing the key /etc/lookout/agent.key$' "$work/agent-again.log" \
    || fail "the re-run's words: $(cat "$work/agent-again.log")"
inside grep -qx 'to=127.0.0.1:4444' /etc/lookout/agent.properties || fail "the re-run lost --to"
await 60 "[ \$(nsenter -t $pid1 -a sh -c \"find $images/door -name '*.jpg' -type f 2>/dev/null | wc -l\") -ge 2 ]" \
    || fail "no stills from the agent: $(inside journalctl -u lookout-agent --no-pager | tail -20)"
ok "the agent's stills arrive ($(count $images/door))"
inside systemctl stop lookout-agent
left=$(inside sh -c 'ls -A /var/spool/lookout | grep -v -e "^outbox$" -e "^rejected$" -e "^\.drain\.lock$" || true')
[ -z "$(echo "$left" | grep '^\.tmp-' || true)" ] || fail "a stop left temporaries: $left"
before=$(count $images/door)
inside systemctl start lookout-agent
await 60 "[ \$(nsenter -t $pid1 -a sh -c \"find $images/door -name '*.jpg' -type f | wc -l\") -gt $before ]" \
    || fail "no stills after the restart"
ok "stop leaves no partial spool entry; restart resumes"
status=$(inside sh -c 'PATH=/usr/local/bin:/usr/bin:/bin lookout-agent ctl status')
echo "$status" | grep -q '^camera: door (file:/clip' || fail "ctl status: $status"
ok "lookout-agent ctl status answers, from PATH"
inside useradd -M -s /bin/sh bob
denied=$(inside setpriv --reuid=bob --regid=bob --init-groups /usr/local/bin/lookout-agent ctl status 2>&1 || true)
echo "$denied" | grep -q 'sudo usermod -aG lookout' || fail "ctl outside the group: $denied"
ok "ctl outside the group says how to join it"
doc=$(inside systemctl show -P Documentation lookout-agent.service)
inside test -r "${doc#file://}" || fail "the unit's documentation $doc is not installed"
ok "the unit's documentation is installed ($doc)"

# --- 4. path and timer units ---
step "snapshot, prune, outbox"
inside sh -c 'mkdir -p /etc/systemd/system/lookout-snapshot.timer.d && printf "[Timer]\nOnCalendar=\nOnCalendar=*:*:0/5\n" > /etc/systemd/system/lookout-snapshot.timer.d/often.conf
    mkdir -p /etc/systemd/system/lookout-prune.timer.d && printf "[Timer]\nOnCalendar=\nOnCalendar=*:*:0/5\nRandomizedDelaySec=0\n" > /etc/systemd/system/lookout-prune.timer.d/often.conf
    systemctl daemon-reload && systemctl restart lookout-snapshot.timer lookout-prune.timer'
await 30 "nsenter -t $pid1 -a journalctl -u lookout-snapshot.service -o cat --no-pager | grep -q 'OK snapshot taken'" \
    || fail "no snapshot: $(inside journalctl -u lookout-snapshot.service --no-pager | tail)"
ok "lookout-snapshot.timer took a snapshot through the control socket"
await 30 "nsenter -t $pid1 -a journalctl -u lookout-prune.service -o cat --no-pager | grep -q '^prune: removed'" \
    || fail "no prune run: $(inside journalctl -u lookout-prune.service --no-pager | tail)"
ok "lookout-prune.timer ran prune: $(inside journalctl -u lookout-prune.service -o cat --no-pager | grep '^prune:' | tail -1)"
# the backstop when the daemon is stopped (a running agent takes in the outbox by itself)
inside systemctl stop lookout-snapshot.timer
inside systemctl stop lookout-agent
inside systemctl start lookout-snapshot.service || fail "a snapshot due while the agent is stopped failed"
ok "a snapshot due while the agent is stopped is skipped, not failed"
cp "$work/images/i01.jpg" "/proc/$pid1/root/var/spool/lookout/outbox/dropped.jpg"
await 30 "nsenter -t $pid1 -a journalctl -u lookout-agent-flush.service -o cat --no-pager | grep -q '1 taken from the outbox, 1 delivered'" \
    || fail "the outbox was not shipped: $(inside journalctl -u lookout-agent-flush.service --no-pager | tail)"
ok "a JPEG dropped into the outbox was shipped by lookout-agent-flush.path"
no_failed_units
inside sh -c 'cd /src && units/install.sh purge agent' >"$work/purge-agent.log" 2>&1 \
    || fail "purge agent: $(cat "$work/purge-agent.log")"
inside test ! -e /etc/lookout/agent.properties -a ! -e /etc/lookout/agent.key -a ! -e /usr/local/bin/lookout-agent \
    -a ! -e /etc/tmpfiles.d/lookout-agent.conf -a -e /etc/sysusers.d/lookout.conf || fail "purge agent left or took too much"
inside id lookout >/dev/null || fail "purging the agent removed the receiver's user"
ok "purge agent removes its settings, key, program and tmpfiles entry; the receiver's user stays"

# --- 5. the user install ---
step "receiver: units/install.sh receiver (a user's own)"
inside sh -c 'cd /src && units/install.sh purge receiver --system' >"$work/purge-receiver.log" 2>&1 \
    || fail "purge receiver: $(cat "$work/purge-receiver.log")"
inside test ! -e /etc/lookout -a ! -e /etc/sysusers.d/lookout.conf -a ! -e /etc/tmpfiles.d/lookout-receiver.conf \
    -a ! -e /var/cache/lookout-receiver -a ! -e /usr/local/bin/lookout-receiver || fail "purge receiver left something"
! inside id lookout >/dev/null 2>&1 || fail "purge left the user lookout"
[ "$(count $images)" -ge 240 ] || fail "purge removed images: $(count $images)"
ok "purge receiver removes settings, key, cache, the user and its entries; keeps the images"
inside useradd -m -s /bin/sh alice
uid=$(inside id -u alice)
inside loginctl enable-linger alice
await 30 "nsenter -t $pid1 -a test -S /run/user/$uid/bus" || fail "no user manager for alice"
inside setpriv --reuid=alice --regid=alice --init-groups env HOME=/home/alice XDG_RUNTIME_DIR=/run/user/$uid \
    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus sh -c 'cd /src && units/install.sh receiver'
cp "/proc/$pid1/root/home/alice/.config/lookout/receiver.key" "$work/alice.key"
$agent send --to 127.0.0.1:$port --key-file "$work/alice.key" --camera porch "$work"/images/i0[1-3].jpg >"$work/alice.log" \
    || fail "upload to alice: $(cat "$work/alice.log")"
owners=$(inside sh -c "find /home/alice/Pictures/Lookout/porch -name '*.jpg' -type f -printf '%u\n' | sort | uniq -c")
[ "$(echo $owners)" = "3 alice" ] || fail "alice's images: $owners"
ok "the user install receives into ~/Pictures/Lookout, files owned by alice"
inside setpriv --reuid=alice --regid=alice --init-groups env HOME=/home/alice /home/alice/.local/bin/lookout-receiver gallery \
    >"$work/alice-gallery.log" 2>&1 || fail "gallery from PATH, no --config: $(cat "$work/alice-gallery.log")"
inside test -e /home/alice/Pictures/Lookout/index.html || fail "alice's gallery: $(cat "$work/alice-gallery.log")"
ok "lookout-receiver gallery, on alice's PATH, finds her settings without --config"
inside setpriv --reuid=alice --regid=alice --init-groups env HOME=/home/alice XDG_RUNTIME_DIR=/run/user/$uid \
    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus sh -c 'cd /src && units/install.sh uninstall receiver'
[ ! -e "/proc/$pid1/root/home/alice/.local/bin/lookout-receiver" ] || fail "uninstall left the link on PATH"
[ ! -e "/proc/$pid1/root/home/alice/.config/systemd/user/lookout-receiver.socket" ] || fail "uninstall left the units"
[ ! -e "/proc/$pid1/root/home/alice/.local/share/lookout/lookout-receiver.jar" ] || fail "uninstall left the program"
[ "$(count /home/alice/Pictures/Lookout)" -eq 3 ] && [ -e "/proc/$pid1/root/home/alice/.config/lookout/receiver.key" ] \
    || fail "uninstall removed images or the key"
ok "uninstall removes units and programs, keeps settings, key and images"
inside setpriv --reuid=alice --regid=alice --init-groups env HOME=/home/alice XDG_RUNTIME_DIR=/run/user/$uid \
    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus sh -c 'cd /src && units/install.sh purge receiver' >"$work/alice-purge.log" 2>&1 \
    || fail "alice's purge: $(cat "$work/alice-purge.log")"
[ ! -e "/proc/$pid1/root/home/alice/.config/lookout" ] && [ ! -e "/proc/$pid1/root/home/alice/.cache/lookout-receiver" ] \
    && [ ! -e "/proc/$pid1/root/var/lib/systemd/linger/alice" ] || fail "alice's purge left settings, cache or linger"
[ "$(count /home/alice/Pictures/Lookout)" -eq 3 ] || fail "alice's purge removed images"
ok "a user's purge removes settings, key, cache and linger, keeps the images"
echo "all scenarios passed"
