#!/bin/sh
# Runs inside the emulated Pi (Debian 12 arm64), as root, from the 9p share /share that PiVmIT
# filled: the agent's .deb, the receiver's key (camera.key), MJPEG frames (mjpeg/*.jpg, each
# followed by padding as a UVC camera's buffers are). The receiver is on the host, reached at
# 10.0.2.100:4444 (qemu's guestfwd, the only way out). Two cameras: vivid (raw frames) and a
# v4l2loopback device fed those padded JPEGs by ffmpeg. Each check writes one line to
# /share/results, "ok NAME DETAIL" or "FAILED NAME DETAIL" (PiVmIT asserts each by NAME), and the
# script goes on after a failure where later checks still make sense.
#   pi-guest.sh debian13: only installs the .deb and starts its unit (the Debian 13 guest).
share=/share
results=$share/results
: >"$results"
t0=$(cut -d. -f1 /proc/uptime)
since() { echo "$(($(cut -d. -f1 /proc/uptime) - t0)) s"; }
pass() { echo "ok $1 $2" >>"$results"; echo "ok: $1: $2 [$(since)]"; }
failed() { echo "FAILED $1 $2" | tr '\n' ' ' >>"$results"; echo >>"$results"; echo "FAILED: $1: $2 [$(since)]"; }
# await SECONDS CONDITION: the condition (shell code, run here) holds within SECONDS
await() {
    end=$(($(date +%s) + $1))
    shift
    until eval "$*" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.5
    done
}
# a control command through the socket, as AGENT.md shows: a JVM per "lookout-agent ctl" costs
# seconds on an emulated CPU (ctl itself is checked where a snapshot must be refused)
control() { echo "$1" | socat -t 5 - UNIX-CONNECT:/run/lookout-agent/control.sock 2>&1; }
status() { control status; }
field() { status | sed -n "s/^$1: //p"; }
journal() { journalctl -q --no-pager -o cat -u lookout-agent.service "$@"; }
echo "booted in $(cut -d' ' -f1 /proc/uptime) s (kernel $(uname -r), $(nproc) CPUs)"
echo "time boot $(cut -d' ' -f1 /proc/uptime)" >"$share/timings"

# --- the .deb, installed as README says, with apt (everything it needs is in the image) ---
java --version | head -1
cp "$share"/lookout-agent_*_all.deb /root/
if (cd /root && apt-get install -y -q ./lookout-agent_*_all.deb) >"$share/apt.log" 2>&1; then
    pass install "apt install ./$(basename /root/lookout-agent_*_all.deb) on $(. /etc/os-release; echo "$PRETTY_NAME") ($(java --version | head -1))"
else
    failed install "$(tail -5 "$share/apt.log")"
    exit 0
fi
# NTP has set the clock (the guest's clock is the host's, through the emulated RTC)
mkdir -p /run/systemd/timesync && touch /run/systemd/timesync/synchronized
cp "$share/camera.key" /root/

if [ "${1:-}" = debian13 ]; then
    unit_start=$(date +%s)
    lookout-agent setup --to 10.0.2.100:4444 --camera pi13 --source v4l2:/dev/video0 --key-file /root/camera.key \
        >"$share/setup.log" 2>&1 || failed setup "$(cat "$share/setup.log")"
    if await 60 'systemctl is-active -q lookout-agent.service && status | grep -q "^source: "'; then
        pass unit "lookout-agent.service active, ctl answers after $(($(date +%s) - unit_start)) s: $(field source)"
    else
        failed unit "$(systemctl status --no-pager lookout-agent.service 2>&1 | tail -5)"
    fi
    journal >"$share/journal.log"
    exit 0
fi

# --- the cameras ---
modprobe vivid n_devs=1 node_types=0x1 num_inputs=1 input_types=0x0 multiplanar=1 vid_cap_nr=0 \
    || failed vivid "modprobe vivid"
# v4l2loopback: a camera that sends what it is fed, here MJPEG (exclusive_caps: a capture device once fed)
modprobe v4l2loopback video_nr=9 card_label=mjpeg-cam exclusive_caps=1 || failed loopback "modprobe v4l2loopback"
await 10 'test -c /dev/video0 && test -c /dev/video9' || failed cameras "$(ls -l /dev/video* 2>&1)"
v4l2-ctl -d /dev/video0 -c osd_text_mode=2 # no clock overlay: a still scene gives identical frames
echo "cameras: $(ls /dev/video* | tr '\n' ' ')"

# the raw camera's reference still: the frame as ffmpeg encodes it (the agent encodes raw frames so)
ffmpeg -hide_banner -loglevel error -f v4l2 -video_size 640x480 -i /dev/video0 -frames:v 1 -c:v mjpeg -q:v 3 \
    -y "$share/raw-reference.jpg" || failed reference "ffmpeg could not read /dev/video0"

# --- the raw camera, through the unit: user lookout, group video ---
unit_start=$(date +%s)
lookout-agent setup --to 10.0.2.100:4444 --camera pi-raw --source v4l2:/dev/video0 --key-file /root/camera.key \
    >"$share/setup.log" 2>&1 || failed setup "$(cat "$share/setup.log")"
if await 120 '[ "$(field source)" = ok ]'; then
    pass raw-source "source ok $(($(date +%s) - unit_start)) s after the unit started; $(status | head -1)"
else
    failed raw-source "$(status | tr '\n' ';') $(journal | tail -5)"
fi
[ "$(systemctl show -P User lookout-agent.service)" = lookout ] && ps -o user=,group=,supgrp= -C java | grep -q "^lookout .*video" \
    && pass unit-user "$(ps -o user=,supgrp= -C java | head -1)" || failed unit-user "$(ps -o user=,group=,supgrp=,args= -C java)"
control snapshot | grep -q "^OK" || failed raw-snapshot "refused"
if await 60 'status | grep -q "^spool: 0 stills waiting" && ! status | grep -q "^last delivery: none"'; then
    pass raw-delivery "delivered $(($(date +%s) - unit_start)) s after the unit started: $(field 'last delivery')"
else
    failed raw-delivery "$(status | tr '\n' ';')"
fi
echo "time raw-first-delivery $(($(date +%s) - unit_start))" >>"$share/timings"
date +%s%3N >"$share/raw-still-until"

# --- movement: vivid's test pattern moves sideways ---
v4l2-ctl -d /dev/video0 -c horizontal_movement=5
if await 60 'status | grep -q "^last event: event"'; then
    pass movement "$(field 'last event')"
else
    failed movement "$(status | tr '\n' ';')"
fi
v4l2-ctl -d /dev/video0 -c horizontal_movement=3

# --- unplug and replug (the driver unbound and bound again) ---
echo vivid.0 >/sys/bus/platform/drivers/vivid/unbind
unplugged=$(date +%s)
if await 40 'status | grep -q "^source: lost"'; then
    pass unplug-lost "$(($(date +%s) - unplugged)) s after the unplug: $(field source)"
else
    failed unplug-lost "$(status | tr '\n' ';')"
fi
if lookout-agent ctl snapshot >"$share/snapshot-lost.log" 2>&1; then
    failed unplug-no-snapshot "ctl snapshot while unplugged answered: $(cat "$share/snapshot-lost.log")"
else
    pass unplug-no-snapshot "$(cat "$share/snapshot-lost.log")"
fi
echo vivid.0 >/sys/bus/platform/drivers/vivid/bind
replugged=$(date +%s)
if await 60 '[ "$(field source)" = ok ]'; then
    pass replug "source ok $(($(date +%s) - replugged)) s after the replug"
else
    failed replug "$(status | tr '\n' ';')"
fi

# --- the MJPEG camera: ffmpeg feeds it the padded JPEGs (each buffer: a JPEG, then the padding) ---
feed() {
    ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -framerate 5 -f image2 -c:v mjpeg -i "$share/mjpeg/f%02d.jpg" \
        -c:v copy -f v4l2 /dev/video9 >>"$share/feed.log" 2>&1 &
    echo $! >/run/feed.pid
}
feed
await 30 'v4l2-ctl -d /dev/video9 --get-fmt-video 2>/dev/null | grep -q MJPG' \
    && echo "loopback: $(v4l2-ctl -d /dev/video9 --get-fmt-video | tr -s ' \n' ' ')" || failed mjpeg-feed "$(cat "$share/feed.log")"
unit_start=$(date +%s)
# v4l2loopback sizes an MJPEG buffer by the picture (width x height x 2): 1280x720 holds a JPEG and 1 MB
sed -i 's/^#\?size=.*/size=1280x720/' /etc/lookout/agent.properties
lookout-agent setup --camera pi-mjpeg --source v4l2:/dev/video9 >"$share/setup-mjpeg.log" 2>&1 \
    || failed mjpeg-setup "$(cat "$share/setup-mjpeg.log")"
if await 90 '[ "$(field source)" = ok ]' \
    && control snapshot | grep -q "^OK" \
    && await 60 'status | grep -q "^camera: pi-mjpeg" && status | grep -q "^spool: 0 stills waiting" && ! status | grep -q "^last delivery: none"'; then
    pass mjpeg-delivery "source ok and a snapshot delivered $(($(date +%s) - unit_start)) s after the unit restarted"
else
    failed mjpeg-delivery "$(status | tr '\n' ';') $(journal | tail -3)"
fi

# --- a camera that goes silent: no frame for longer than the stall timeout (10 s); the feed is
# paused, not ended, as a camera that hangs keeps its device open ---
kill -STOP "$(cat /run/feed.pid)"
stalled=$(date +%s)
if await 40 'status | grep -q "^source: lost"'; then
    pass stall-lost "$(($(date +%s) - stalled)) s after the last frame: $(field source)"
else
    failed stall-lost "$(status | tr '\n' ';')"
fi
# asked at once (through the socket: ctl's JVM takes longer than the watchdog's next reopen, where
# v4l2loopback hands the new reader the last frame it holds once more)
answer=$(control snapshot)
case "$answer" in
"ERR no frame"*) pass stall-no-snapshot "$answer" ;;
*) failed stall-no-snapshot "snapshot while the camera was silent (status: $(field source)): $answer" ;;
esac
kill -CONT "$(cat /run/feed.pid)"
fed=$(date +%s)
if await 60 '[ "$(field source)" = ok ]'; then
    pass stall-reopen "source ok $(($(date +%s) - fed)) s after the feed came back"
else
    failed stall-reopen "$(status | tr '\n' ';')"
fi
if journal -p warning | grep -q "gave no frame for"; then
    pass stall-journal "$(journal -p warning | grep "gave no frame for" | tail -1)"
else
    failed stall-journal "no warning about the silent camera: $(journal -p warning | tail -3)"
fi

# --- lookout-agent devices: what can be captured, for a member of group video; 77 for others ---
useradd -M -G video pi
runuser -u pi -- lookout-agent devices >"$share/devices.log" 2>&1
code=$?
if [ $code = 0 ] && grep -q /dev/video0 "$share/devices.log" && grep -q /dev/video9 "$share/devices.log" \
    && grep -qi mjpeg "$share/devices.log" && ! grep -qi "unsupported\|exception" "$share/devices.log"; then
    pass devices "$(wc -l <"$share/devices.log") lines, both cameras, MJPEG named"
else
    failed devices "exit $code: $(head -c 600 "$share/devices.log")"
fi
ls -d /tmp/BridJ* >/dev/null 2>&1 && failed devices-tmp "$(ls -d /tmp/BridJ*)" || pass devices-tmp "nothing left in /tmp"
useradd -M nocam
runuser -u nocam -- lookout-agent devices >"$share/devices-denied.log" 2>&1
code=$?
if [ $code = 77 ] && grep -q "video" "$share/devices-denied.log"; then
    pass devices-denied "exit 77: $(head -1 "$share/devices-denied.log")"
else
    failed devices-denied "exit $code: $(head -c 400 "$share/devices-denied.log")"
fi

# --- the journal: no error, the unit never failed ---
journal >"$share/journal.log"
errors=$(journal -p err | grep -v "^$" | head -3)
if [ -z "$errors" ] && [ "$(systemctl show -P NRestarts lookout-agent.service)" = 0 ] && systemctl is-active -q lookout-agent.service; then
    pass journal "$(journal | wc -l) lines, no error, no restart of the unit"
else
    failed journal "errors: $errors; restarts: $(systemctl show -P NRestarts lookout-agent.service)"
fi
systemctl stop lookout-agent.service
kill "$(cat /run/feed.pid)" 2>/dev/null
echo "time guest-total $(since)" >>"$share/timings"
