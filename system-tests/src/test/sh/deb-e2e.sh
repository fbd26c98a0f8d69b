#!/bin/sh
# The Debian packages on fresh machines: two minimal Debian 12 systems (debootstrap), a "laptop"
# and a "camera", booted with systemd-nspawn on a private network of their own (a network zone:
# a bridge with no address on the host), install the .deb files with apt as README says and are
# checked from the outside: delivery, no failed unit, a provoked warning in the journal, settings
# kept across reinstall and upgrade, remove and purge as documented, and a user-level receiver
# (lookout-receiver-user-setup) beside the system one.
# Needs root, systemd-container, debootstrap and the packaged build.
#   deb-e2e.sh REPO WORK
# The Debian root is made once and kept in $LOOKOUT_TEST_CACHE (default /var/cache/lookout-test),
# one per month, with the packages apt downloads (so a re-run downloads nothing); each machine
# boots an overlay of it, written under WORK (a scratch folder).
set -eu
repo=$1
work=$2
. "$(dirname "$0")/debian-root.sh"
archives=$cache/apt-archives
zone=lk$$
net=10.213.$(($$ % 250)).0
laptop_ip=${net%.0}.1
camera_ip=${net%.0}.2

step() { echo "== $*"; }
ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; exit 1; }
# Waits up to $1 seconds for a shell condition (evaluated on the host).
await() {
    limit=$1
    shift
    timeout "$limit" sh -c "until $*; do sleep 0.2; done" >/dev/null 2>&1
}
pid1() { cat "$work/$1.pid1"; }
# Runs a command in a machine, as root, in the folder the packages were copied to.
on() {
    machine=$1
    shift
    nsenter -t "$(pid1 "$machine")" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
        sh -c "cd /root && $*"
}
# A README command, as written, in a machine ('yes' answers apt's question).
readme() {
    machine=$1
    shift
    echo "$machine\$ $*"
    on "$machine" "yes | $*" || fail "on the $machine: $*"
}
no_failed_units() { # on both machines
    for m in laptop camera; do
        failed=$(on $m 'systemctl --failed --no-legend --plain')
        [ -z "$failed" ] && continue
        on $m 'for unit in $(systemctl --failed --no-legend --plain | cut -d" " -f1); do echo "--- $unit:"; journalctl -u "$unit" -n 15 --no-pager; done'
        fail "failed units on the $m $1: $failed"
    done
}
count() { # stills below a folder of the laptop
    on laptop "find '$1' -name '*.jpg' -type f ! -name '.*' ! -path '*/.gallery/*' 2>/dev/null | wc -l"
}

agent_deb=$(ls "$repo"/agent/target/lookout-agent_*_all.deb)
receiver_deb=$(ls "$repo"/receiver/target/lookout-receiver_*_all.deb)

# --- a Debian 12 root, once a month; the packages the .deb files need, downloaded once ---
step "a minimal Debian 12 root"
debian_root bookworm bookworm "$(dpkg --print-architecture)" systemd,systemd-sysv,dbus,iproute2,sudo
mkdir -p "$archives/partial"
# apt resolves the packages' dependencies against Debian's archive now (host network, no boot);
# the machines then install them from the downloaded files, without a network to the outside.
mkdir -p "$work/debs"
cp "$agent_deb" "$receiver_deb" "$work/debs/"
systemd-nspawn --quiet --register=no --keep-unit -D "$root" --bind="$archives:/var/cache/apt/archives" \
    --bind-ro="$work/debs:/debs" sh -c 'apt-get update -qq && apt-get install -qq -y --download-only /debs/*.deb' \
    >"$work/download.log" 2>&1 || fail "downloading the dependencies: $(tail -5 "$work/download.log")"
ok "dependencies downloaded ($(ls "$archives" | grep -c '\.deb$') packages in the cache)"

# --- two machines ---
boot() { # name, address
    m=$1
    mkdir -p "$work/$m/upper" "$work/$m/work" "$work/$m/root"
    mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/$m/upper,workdir=$work/$m/work" "$work/$m/root"
    echo "$m" >"$work/$m/root/etc/hostname"
    printf '%s laptop\n%s camera\n' "$laptop_ip" "$camera_ip" >>"$work/$m/root/etc/hosts"
    for tree in systemd unified; do
        mkdir -p "/sys/fs/cgroup/$tree/lookout-$zone-$m" 2>/dev/null || true
    done
    sh -c "for t in systemd unified; do echo \$\$ > /sys/fs/cgroup/\$t/lookout-$zone-$m/cgroup.procs 2>/dev/null || true; done
        exec systemd-nspawn --boot --register=no --keep-unit --console=pipe -M lookout-$zone-$m -D $work/$m/root \
            --network-zone=$zone --bind=$archives:/var/cache/apt/archives" >"$work/$m.console" 2>&1 &
    echo $! >"$work/$m.nspawn"
    await 30 "pgrep -P $! >/dev/null" || fail "the $m did not start: $(cat "$work/$m.console")"
    pgrep -P "$(cat "$work/$m.nspawn")" | head -1 >"$work/$m.pid1"
    await 60 "nsenter -t $(pid1 "$m") -a systemctl is-system-running --wait" || true
    on "$m" "ip link set host0 up && ip addr add $2/24 dev host0"
}
cleanup() {
    set +e
    for m in laptop camera; do
        [ -s "$work/$m.pid1" ] && nsenter -t "$(pid1 $m)" -a systemctl poweroff >/dev/null 2>&1
        if [ -s "$work/$m.nspawn" ]; then
            n=$(cat "$work/$m.nspawn")
            i=0
            while kill -0 "$n" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
            kill -9 "$n" 2>/dev/null
        fi
        mountpoint -q "$work/$m/root" && umount "$work/$m/root"
        for tree in systemd unified; do
            [ -d "/sys/fs/cgroup/$tree/lookout-$zone-$m" ] \
                && find "/sys/fs/cgroup/$tree/lookout-$zone-$m" -depth -type d -exec rmdir {} + 2>/dev/null
        done
    done
    ip link delete "vz-$zone" 2>/dev/null
    true
}
trap cleanup EXIT
step "booting the laptop and the camera (network zone vz-$zone)"
boot laptop "$laptop_ip"
boot camera "$camera_ip"
ip link set "vz-$zone" up
ok "booted: laptop $(on laptop 'systemctl is-system-running'), camera $(on camera 'systemctl is-system-running')"

# --- README: the laptop ---
step "the laptop, as README says"
cp "$receiver_deb" "$agent_deb" "$work/laptop/root/root/"
readme laptop 'sudo apt install ./lookout-receiver_*.deb'
on laptop 'systemctl is-active lookout-receiver.socket lookout-gallery.path lookout-prune.timer' >/dev/null \
    || fail "the receiver's units are not active"
readme laptop 'sudo install -m 600 -o "$(id -un)" /etc/lookout/receiver.key lookout.key'
ok "the receiver listens, key copied for the camera"

# --- README: the camera (scp stands in as a copy between the two roots) ---
step "the camera, as README says"
cp "$work/laptop/root/root/lookout.key" "$agent_deb" "$work/camera/root/root/"
readme camera 'sudo apt install ./lookout-agent_*.deb'
on camera 'command -v lookout-agent && getent passwd lookout && test -d /var/spool/lookout/outbox' >/dev/null \
    || fail "the agent's package did not set up its user and spool"
# NTP has set the clock (the container has no clock of its own to wait for).
on camera 'mkdir -p /run/systemd/timesync && touch /run/systemd/timesync/synchronized'
readme camera 'sudo lookout-agent setup --to laptop:4444 --camera front-door --source v4l2:/dev/video0 --key-file lookout.key'
on camera 'grep -qx "to=laptop:4444" /etc/lookout/agent.properties && grep -qx camera=front-door /etc/lookout/agent.properties' \
    || fail "setup did not write the settings: $(on camera 'grep -v "^#" /etc/lookout/agent.properties')"
[ "$(on camera 'stat -c "%U:%G %a" /etc/lookout/agent.key')" = "root:lookout 640" ] || fail "the key's owner and mode"
ok "setup wrote the settings and the key (root:lookout 0640)"
# The agent looks for the webcam it does not have and says so in the journal (checked at the end);
# wait for that before the next setup restarts it: a loaded machine may take a while to get there.
await 90 "nsenter -t $(pid1 camera) -a journalctl -p warning -q --no-pager -o cat -u lookout-agent.service | grep -q v4l2:/dev/video0" \
    || fail "the agent did not warn about the missing webcam: $(on camera 'journalctl -q --no-pager -u lookout-agent.service | tail -5')"

# A clip stands in for the webcam: setup again, with another source, restarts the agent.
step "setup again, a file: clip instead of the webcam"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=5:duration=6" -q:v 4 "$work/f%03d.jpg"
mkdir -p "$work/camera/root/srv/clip"
cp "$work"/f*.jpg "$work/camera/root/srv/clip/"
chmod -R a+rX "$work/camera/root/srv/clip"
started=$(on camera 'systemctl show -P ExecMainStartTimestampMonotonic lookout-agent.service')
readme camera 'sudo lookout-agent setup --source file:/srv/clip' >"$work/setup2.log" || fail "setup again: $(cat "$work/setup2.log")"
[ "$(on camera 'systemctl show -P ExecMainStartTimestampMonotonic lookout-agent.service')" != "$started" ] \
    || fail "the agent was not restarted"
on camera 'grep -qx "source=file:/srv/clip" /etc/lookout/agent.properties && grep -qx camera=front-door /etc/lookout/agent.properties' \
    || fail "setup again: the source changed, the camera kept"
await 90 "[ \$(nsenter -t $(pid1 laptop) -a sh -c \"find /var/lib/lookout/images/front-door -name '*.jpg' -type f 2>/dev/null | wc -l\") -ge 2 ]" \
    || fail "no stills on the laptop: $(on camera 'journalctl -u lookout-agent --no-pager | tail -20')"
ok "the camera's stills arrive on the laptop ($(count /var/lib/lookout/images/front-door))"
readme camera 'sudo lookout-agent ctl status' >"$work/status.log"
grep -q "front-door" "$work/status.log" || fail "ctl status: $(cat "$work/status.log")"
on camera 'lookout-agent setup --source file:/srv/clip' >"$work/setup3.log"
grep -q "nothing changed" "$work/setup3.log" || fail "setup with the same values: $(cat "$work/setup3.log")"
on camera 'runuser -u nobody -- lookout-agent setup --camera x' >"$work/setup4.log" 2>&1 && fail "setup as a user succeeded"
grep -q "^Error: .*root" "$work/setup4.log" || fail "setup as a user: $(cat "$work/setup4.log")"
ok "setup: same values change nothing; as a user: $(cat "$work/setup4.log")"

# --- the user-level receiver: one command as a normal user, beside the system receiver ---
step "a user's receiver on the laptop (lookout-receiver-user-setup), port 4445"
on laptop 'useradd -m ann && loginctl enable-linger ann'
ann_uid=$(on laptop 'id -u ann')
# the user's manager runs (as in a login session; the linger above keeps it while logged out)
await 60 "nsenter -t $(pid1 laptop) -a test -S /run/user/$ann_uid/systemd/private" || fail "ann's systemd manager did not start"
echo "ann@laptop\$ lookout-receiver-user-setup"
on laptop "runuser -u ann -- env HOME=/home/ann XDG_RUNTIME_DIR=/run/user/$ann_uid lookout-receiver-user-setup" \
    >"$work/usersetup.log" 2>&1 || fail "lookout-receiver-user-setup: $(cat "$work/usersetup.log")"
grep -q "port 4445" "$work/usersetup.log" || fail "user setup: $(cat "$work/usersetup.log")"
on laptop "runuser -u ann -- env XDG_RUNTIME_DIR=/run/user/$ann_uid systemctl --user is-active -q lookout-receiver.socket lookout-gallery.path lookout-prune.timer" \
    || fail "ann's units are not active"
on laptop 'systemctl is-active -q lookout-receiver.socket' || fail "the system receiver's socket stopped"
cp "$work/laptop/root/home/ann/.config/lookout/receiver.key" "$work/camera/root/root/ann.key"
readme camera 'sudo lookout-agent setup --to laptop:4445 --key-file ann.key' >"$work/setup5.log" \
    || fail "setup to ann's receiver: $(cat "$work/setup5.log")"
await 90 "[ \$(nsenter -t $(pid1 laptop) -a sh -c \"find /home/ann/Pictures/Lookout/front-door -name '*.jpg' -type f -user ann 2>/dev/null | wc -l\") -ge 2 ]" \
    || fail "no stills in ann's ~/Pictures/Lookout: $(on laptop "journalctl --no-pager -q _UID=$ann_uid | tail -20")"
await 30 "nsenter -t $(pid1 laptop) -a test -e /home/ann/Pictures/Lookout/index.html" || fail "ann's gallery was not made"
ok "ann's receiver (port 4445) stores the camera's stills in ~/Pictures/Lookout ($(count /home/ann/Pictures/Lookout/front-door), owner ann, gallery made); the system receiver keeps 4444"

# --- the journal: a provoked warning (the camera above looked for a webcam it does not have) ---
step "journalctl -p warning"
warned=$(on camera 'journalctl -p warning -q --no-pager -o cat -u lookout-agent.service' | grep -m1 'v4l2:/dev/video0' || true)
[ -n "$warned" ] || fail "the missing webcam gave no warning at priority warning: $(on camera 'journalctl -q --no-pager -u lookout-agent.service | tail -5')"
ok "journalctl -p warning on the camera: $warned"
doc=$(on camera 'systemctl show -P Documentation lookout-agent.service')
on camera "test -r ${doc#file://}" || fail "the unit's documentation $doc is not installed"
ok "the unit's documentation is installed ($doc)"

no_failed_units "after delivery"
ok "systemctl --failed: empty on both"

# --- the archive: configured, its units copy each new still to an S3 store (S3Proxy on the laptop) ---
step "the archive to S3Proxy on the laptop's loopback, started by lookout-archive.path"
s3proxy=$repo/receiver/target/s3proxy/s3proxy.jar
[ -r "$s3proxy" ] || fail "no $s3proxy (the receiver's build copies it from Maven Central)"
cp "$s3proxy" "$work/laptop/root/root/s3proxy.jar"
on laptop 'mkdir -p /srv/s3/lookout && printf "%s\n" s3proxy.endpoint=http://127.0.0.1:0 s3proxy.authorization=aws-v2-or-v4 \
    s3proxy.identity=lookout s3proxy.credential=e2e-secret jclouds.provider=filesystem-nio2 jclouds.filesystem.basedir=/srv/s3 \
    >/root/s3proxy.properties && systemd-run -q --unit s3proxy java -jar /root/s3proxy.jar --properties /root/s3proxy.properties'
await 90 "nsenter -t $(pid1 laptop) -a journalctl -u s3proxy -o cat --no-pager | grep -q 'ServerConnector.*127.0.0.1:'" \
    || fail "S3Proxy did not start: $(on laptop 'journalctl -u s3proxy --no-pager | tail -5')"
s3port=$(on laptop 'journalctl -u s3proxy -o cat --no-pager' | sed -n 's/.*{127\.0\.0\.1:\([0-9]*\)}.*/\1/p' | head -1)
on laptop "install -m 0640 -o root -g lookout /dev/null /etc/lookout/s3-credentials \
    && printf 'access-key=lookout\nsecret-key=e2e-secret\n' >/etc/lookout/s3-credentials \
    && printf 's3-endpoint=http://127.0.0.1:$s3port\ns3-bucket=lookout\ns3-path-style=true\ns3-credentials=/etc/lookout/s3-credentials\n' \
    >>/etc/lookout/receiver.properties"
# New stills, one at a time: each sent by the camera's 'send' (the system receiver's key; the running
# agent sends to ann's receiver since the step above), stored (.stored changes), then in the bucket
# byte for byte. The time from the laptop's file to the bucket's is printed (a figure for
# docs/BENCHMARKS.md, not a pass mark: this test runs on machines of any speed).
new=$(find "$work/laptop/root/var/lib/lookout/images/front-door" -name '*.jpg' -type f | head -1)
cp "$new" "$work/camera/root/root/new.jpg"
latencies=""
for i in 1 2 3 4 5 6 7 8 9 10; do
    sent=$(on camera 'install -m 0644 /root/new.jpg /root/still.jpg \
        && lookout-agent send --to laptop:4444 --key-file /root/lookout.key --camera front-door /root/still.jpg' 2>&1) \
        || fail "send $i: $sent"
    key=$(printf '%s\n' "$sent" | sed -n 's/^.*: OK \(front-door\/[^ ]*\.jpg\)$/\1/p')
    [ -n "$key" ] || fail "send $i: $sent"
    await 60 "nsenter -t $(pid1 laptop) -a test -f /srv/s3/lookout/$key" \
        || fail "still $i ($key) is not in the bucket: $(on laptop 'journalctl -u lookout-archive.service --no-pager | tail -20')"
    cmp "$work/laptop/root/var/lib/lookout/images/$key" "$work/laptop/root/srv/s3/lookout/$key" \
        || fail "the bucket's $key differs from the still"
    latencies="$latencies $(awk "BEGIN { printf \"%.1f\", $(date -r "$work/laptop/root/srv/s3/lookout/$key" +%s.%N) - $(date -r "$work/laptop/root/var/lib/lookout/images/$key" +%s.%N) }")"
done
worst=$(printf '%s\n' $latencies | sort -n | tail -1)
median=$(printf '%s\n' $latencies | sort -n | sed -n 5p)
ok "10 new stills in the bucket, byte for byte, each started by lookout-archive.path: stored -> in the bucket (s):$latencies; median $median, worst $worst; $(on laptop 'journalctl -u lookout-archive.service -o cat --no-pager | grep "^archive:" | tail -1')"
no_failed_units "after archiving"

# --- reinstall and upgrade keep an edited setting ---
step "reinstall and upgrade keep edited settings"
on laptop "sed -i 's/^max-connections=.*/max-connections=7/' /etc/lookout/receiver.properties"
readme laptop 'sudo apt install --reinstall ./lookout-receiver_*.deb'
on laptop 'grep -qx max-connections=7 /etc/lookout/receiver.properties' || fail "reinstall lost an edited setting"
mkdir -p "$work/next"
dpkg-deb -R "$agent_deb" "$work/next/agent"
sed -i 's/^Version: .*/&+next/' "$work/next/agent/DEBIAN/control"
dpkg-deb --root-owner-group -b "$work/next/agent" "$work/camera/root/root/lookout-agent_next_all.deb" >/dev/null
readme camera 'sudo apt install ./lookout-agent_next_all.deb'
on camera 'grep -qx "source=file:/srv/clip" /etc/lookout/agent.properties && test -e /etc/lookout/agent.key' \
    || fail "the upgrade lost the settings"
on camera 'systemctl is-active -q lookout-agent.service' || fail "the agent does not run after the upgrade"
ok "kept across reinstall (laptop) and upgrade (camera); the agent runs again"

# --- remove, then purge ---
step "remove, then purge"
readme camera 'sudo apt remove lookout-agent'
on camera 'test -e /etc/lookout/agent.properties && test -e /etc/lookout/agent.key && test -d /var/spool/lookout && getent passwd lookout' \
    >/dev/null || fail "remove deleted settings, key, spool or user"
on camera '! command -v lookout-agent && ! systemctl -q is-active lookout-agent.service' >/dev/null || fail "remove left the program running"
readme camera 'sudo apt purge lookout-agent'
on camera '! test -e /etc/lookout && ! getent passwd lookout' >/dev/null || fail "purge left settings or the user"
before=$(count /var/lib/lookout/images)
readme laptop 'sudo apt remove lookout-receiver'
on laptop 'test -e /etc/lookout/receiver.key && ! test -e /var/cache/lookout-receiver' || fail "remove: key kept, caches gone"
readme laptop 'sudo apt purge lookout-receiver'
on laptop '! test -e /etc/lookout && ! getent passwd lookout' >/dev/null || fail "purge left settings or the user"
[ "$(count /var/lib/lookout/images)" -eq "$before" ] || fail "images lost: $(count /var/lib/lookout/images) of $before"
no_failed_units "after purge"
ok "remove keeps settings, key, spool and user; purge removes settings, key and user; the $before images stay"
echo "all scenarios passed"
