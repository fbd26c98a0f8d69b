#!/bin/sh
# The emulated Pi's disks and boot files, for PiVmIT: Debian's arm64 kernel, a small busybox
# initramfs that loads the virtio disk and ext4 and switches to /dev/vda, and two ext4 root images,
# Debian 12 (bookworm: Java 17, ffmpeg, v4l-utils, the vivid driver and a v4l2loopback module built
# for that kernel) and Debian 13 (trixie: Java 21, ffmpeg). The guests have no network: everything
# the agent's .deb depends on is in the images. Each image boots systemd, which runs the host's
# script from a 9p share (tag "share": its run.sh, output to its guest.log) and powers off.
# Needs root, debootstrap, qemu-user-static registered in binfmt_misc (mounted and registered
# here when missing), e2fsprogs and busybox (its cpio).
#   pi-images.sh WORK
# Kept in $LOOKOUT_TEST_CACHE (default /var/cache/lookout-test) as pi-arm64-YYYY-MM, one set per
# month, beside the debootstrapped roots they are made of; its last line names the folder.
set -eu
work=$1
step() { echo "== $*"; }
ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; exit 1; }
. "$(dirname "$0")/debian-root.sh"
images=$cache/pi-arm64-$(date +%Y-%m)
if [ -e "$images/complete" ]; then
    echo "images: $images"
    exit 0
fi
started=$(date +%s)

step "arm64 programs run through qemu-user (binfmt_misc)"
binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
if [ ! -e "$binfmt/qemu-aarch64" ]; then
    # Debian's own registration (flag F: the interpreter is opened now, so chroots need no copy of it)
    cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$binfmt/register"
fi
ok "qemu-aarch64 $(head -1 "$binfmt/qemu-aarch64")"

# chrooted ROOT: runs a command in an arm64 root with /proc, /sys and /dev from the host
chrooted() {
    r=$1
    shift
    for fs in proc sys dev; do mountpoint -q "$r/$fs" || mount --bind "/$fs" "$r/$fs"; done
    status=0
    chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive sh -c "$*" || status=$?
    for fs in dev sys proc; do umount "$r/$fs"; done
    return $status
}

step "Debian 12 and 13 arm64 roots (debootstrap, second stage under qemu-user)"
debian_root pi-trixie-arm64 trixie arm64 openjdk-21-jre-headless,ffmpeg,kmod,systemd-sysv,udev,procps,socat &
trixie_job=$!
debian_root pi-bookworm-arm64 bookworm arm64 openjdk-17-jre-headless,ffmpeg,v4l-utils,kmod,systemd-sysv,udev,procps,socat
bookworm=$root
wait $trixie_job || fail "the Debian 13 root"
trixie=$cache/pi-trixie-arm64-$(date +%Y-%m)
ok "roots made in $(($(date +%s) - started)) s"

rm -rf "$images.new"
mkdir -p "$images.new"
step "the kernel, busybox and v4l2loopback for it (built in the Debian 12 root)"
chrooted "$bookworm" 'apt-get update -qq && apt-get install -qq -y --no-install-recommends make gcc linux-headers-arm64' \
    >"$work/headers.log" 2>&1 || fail "linux-headers-arm64: $(tail -5 "$work/headers.log")"
kver=$(basename "$(ls -d "$bookworm"/usr/src/linux-headers-*-arm64 | tail -1)")
kver=${kver#linux-headers-}
rm -rf "$bookworm/tmp/pi"
mkdir -p "$bookworm/tmp/pi"
chrooted "$bookworm" "cd /tmp/pi && apt-get download -qq linux-image-$kver busybox-static v4l2loopback-dkms" \
    >"$work/download.log" 2>&1 || fail "apt-get download: $(tail -5 "$work/download.log")"
kernel=$bookworm/tmp/pi/kernel
for deb in "$bookworm"/tmp/pi/*.deb; do dpkg-deb -x "$deb" "$kernel"; done
cp "$kernel/boot/vmlinuz-$kver" "$images.new/vmlinuz"
loopback=$(basename "$(ls -d "$kernel"/usr/src/v4l2loopback-* | tail -1)")
chrooted "$bookworm" "make -C /usr/src/linux-headers-$kver M=/tmp/pi/kernel/usr/src/$loopback modules" \
    >"$work/v4l2loopback.log" 2>&1 || fail "building $loopback: $(tail -5 "$work/v4l2loopback.log")"
mkdir -p "$kernel/lib/modules/$kver/extra"
cp "$kernel/usr/src/$loopback/v4l2loopback.ko" "$kernel/lib/modules/$kver/extra/"
chrooted "$bookworm" "depmod -b /tmp/pi/kernel $kver" || fail "depmod"
rm -rf "$work/kernel"
mv "$kernel" "$work/kernel"
kernel=$work/kernel
chrooted "$bookworm" 'apt-get purge -qq -y --autoremove make gcc linux-headers-arm64 && apt-get clean && rm -rf /tmp/pi /var/lib/apt/lists/*' \
    >"$work/purge.log" 2>&1 || fail "removing the build tools: $(tail -5 "$work/purge.log")"
ok "kernel $kver, $loopback built for it"

# load_order MODULE...: the modules' files (relative to lib/modules/KVER), each after what it needs
load_order() {
    for name in "$@"; do
        line=$(grep -E "(^|/)$name\.ko(\.[a-z]+)?:" "$kernel/lib/modules/$kver/modules.dep") || {
            grep -qE "(^|/)$name\.ko$" "$kernel/lib/modules/$kver/modules.builtin" || { echo "FAILED: no module $name" >&2; exit 1; }
            continue
        }
        for dep in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do echo "$dep"; done
    done | awk '!seen[$0]++'
}
boot_modules=$(load_order virtio_pci virtio_blk crc32c_generic ext4)
guest_modules=$(load_order virtio_net virtio-rng 9pnet_virtio 9p vivid v4l2loopback)

step "the initramfs (static busybox: virtio disk, ext4, switch_root to /dev/vda)"
initramfs=$work/initramfs
mkdir -p "$initramfs/bin" "$initramfs/proc" "$initramfs/sys" "$initramfs/dev" "$initramfs/root"
cp "$kernel/bin/busybox" "$initramfs/bin/"
for m in $boot_modules; do
    mkdir -p "$initramfs/modules"
    cp "$kernel/lib/modules/$kver/$m" "$initramfs/modules/"
    echo "/modules/$(basename "$m")" >>"$initramfs/modules.order"
done
cat >"$initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do insmod "$m"; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 -o rw /dev/vda /root || exec sh
umount /proc /sys
mount --move /dev /root/dev
exec switch_root /root /sbin/init
INIT
chmod +x "$initramfs/init"
(cd "$initramfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$images.new/initrd.img"
ok "initramfs $(du -k "$images.new/initrd.img" | cut -f1) KiB: $(echo $boot_modules | wc -w) modules"

step "the root images"
# what both guests share: the modules, a static address on the user network, the share's runner
guest() {
    r=$1
    rm -rf "$r/lib/modules"
    for m in $guest_modules $boot_modules; do
        mkdir -p "$(dirname "$r/lib/modules/$kver/$m")"
        cp "$kernel/lib/modules/$kver/$m" "$r/lib/modules/$kver/$m"
    done
    cp "$kernel/lib/modules/$kver"/modules.order "$kernel/lib/modules/$kver"/modules.builtin* "$r/lib/modules/$kver/"
    chrooted "$r" "depmod $kver" || fail "depmod in $r"
    echo pi >"$r/etc/hostname"
    mkdir -p "$r/etc/systemd/network" "$r/etc/systemd/system/multi-user.target.wants"
    printf '[Match]\nName=en* eth*\n[Network]\nAddress=10.0.2.15/24\n' >"$r/etc/systemd/network/10-user.network"
    ln -sf /lib/systemd/system/systemd-networkd.service "$r/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
    cat >"$r/etc/systemd/system/share-run.service" <<'UNIT'
[Unit]
Description=The host's script from the 9p share, then power off
After=systemd-networkd.service systemd-udevd.service
[Service]
Type=oneshot
ExecStartPre=/bin/mkdir -p /share
ExecStartPre=/bin/mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share /share
ExecStart=/bin/sh -c 'sh /share/run.sh >/share/guest.log 2>&1'
ExecStopPost=/bin/systemctl poweroff --no-block
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
UNIT
    ln -sf /etc/systemd/system/share-run.service "$r/etc/systemd/system/multi-user.target.wants/share-run.service"
    # No console login prompt and no wait for a network that is configured statically
    ln -sf /dev/null "$r/etc/systemd/system/serial-getty@ttyAMA0.service"
    ln -sf /dev/null "$r/etc/systemd/system/systemd-networkd-wait-online.service"
}
guest "$bookworm"
guest "$trixie"
mkfs.ext4 -q -F -L pi -d "$bookworm" "$images.new/bookworm.img" 4G
mkfs.ext4 -q -F -L pi -d "$trixie" "$images.new/trixie.img" 3G
touch "$images.new/complete"
for old in "$cache"/pi-arm64-[0-9][0-9][0-9][0-9]-[0-9][0-9]; do
    [ -d "$old" ] && rm -rf "$old"
done
mv "$images.new" "$images"
ok "made in $(($(date +%s) - started)) s"
echo "images: $images"
