# Sourced by the scenario scripts: minimal Debian roots made by debootstrap, kept in
# $LOOKOUT_TEST_CACHE (default /var/cache/lookout-test), one per name and month (an older month's
# root of the same name is removed when the new one is made). Needs $work (a scratch folder) and
# the script's fail and ok functions.
cache=${LOOKOUT_TEST_CACHE:-/var/cache/lookout-test}
mirror=${LOOKOUT_TEST_MIRROR:-http://deb.debian.org/debian}

# debian_root NAME SUITE ARCH PACKAGES: sets root to this month's root NAME, made now if missing
# (debootstrap --variant=minbase of SUITE for ARCH with the comma-separated PACKAGES). A foreign
# ARCH runs its packages' scripts through qemu-user-static registered in binfmt_misc.
debian_root() {
    root=$cache/$1-$(date +%Y-%m)
    [ -d "$root" ] && return 0
    mkdir -p "$cache"
    rm -rf "$root.new"
    debootstrap --variant=minbase --arch="$3" --include="$4" "$2" "$root.new" "$mirror" \
        >"$work/debootstrap-$1.log" 2>&1 || fail "debootstrap $1: $(tail -5 "$work/debootstrap-$1.log")"
    echo "deb $mirror $2 main" >"$root.new/etc/apt/sources.list"
    for old in "$cache/$1"-[0-9][0-9][0-9][0-9]-[0-9][0-9]; do
        [ -d "$old" ] && rm -rf "$old"
    done
    mv "$root.new" "$root"
    ok "made $root"
}
