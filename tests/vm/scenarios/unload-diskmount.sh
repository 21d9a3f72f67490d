# A filesystem on the module's own disk: loop backs /dev/loop0, which holds
# a mounted ext2. The binding and the mount use the disk, so unload
# refuses, --force or not, and names them. Lazily unmounted (umount -l) while a file on it stays open,
# the filesystem lives on without a mount point: still a user, still
# refused. Once the last file is closed and the disk detached, loop unloads.
# kernels: 6.1 6.12
HOLD=/tmp/hold.out
assert_cmd "modprobe loop" modprobe loop
# ext4 (which mounts ext2) asks for crc32c when it mounts.
assert_cmd "modprobe crc32c" modprobe crc32c_generic
assert_cmd "modprobe ext4" modprobe ext4
dd if=/dev/zero of=/tmp/disk.img bs=1k count=4096 2>/dev/null
assert_cmd "mke2fs" mke2fs -q -F /tmp/disk.img
assert_cmd "losetup" losetup /dev/loop0 /tmp/disk.img
mkdir -p /tmp/mnt
assert_cmd "mount the disk" mount -t ext2 /dev/loop0 /tmp/mnt
echo data >/tmp/mnt/file
refs=$(mod_refcnt loop)

mr unload --force loop
assert_eq "mounted: refused, --force or not" 3 "$MR_RC"
assert_match "mounted: names the filesystem on it" "*Module loop is in use by: *mounted filesystem ext2:loop0*" "$MR_ERR"
assert_match "mounted: and the binding" "*loop0 bound to /tmp/disk.img (losetup -d /dev/loop0 releases it)*" "$MR_ERR"
assert_eq "mounted: still live" live "$(mod_state loop)"
assert_eq "mounted: references untouched" "$refs" "$(mod_refcnt loop)"

# Lazily unmounted, a file still open on it.
holdfast open /tmp/mnt/file >"$HOLD" 2>&1 &
holder=$!
assert_cmd "a file held open on it" wait_until 5 grep -q ready "$HOLD"
assert_cmd "umount -l" umount -l /tmp/mnt
assert_cmd "no mount left here" sh -c "! grep -q ' /tmp/mnt ' /proc/self/mountinfo"
mr unload --force loop
assert_eq "lazily unmounted: refused" 3 "$MR_RC"
assert_match "lazily unmounted: the filesystem lives on, a user" "*Module loop is in use by: *filesystem ext2:loop0*" "$MR_ERR"
assert_eq "lazily unmounted: still live" live "$(mod_state loop)"
assert_eq "no taint" 0 "$(taint_forced_rmmod)"

kill "$holder"
wait "$holder" 2>/dev/null
# The superblock goes with the last file; then the disk can be detached.
detached() { losetup -d /dev/loop0 2>/dev/null; }
assert_cmd "losetup -d once the filesystem is gone" wait_until 10 detached
mr unload loop
assert_eq "free: unloads" 0 "$MR_RC"
assert_eq "free: gone" absent "$(mod_state loop)"
assert_eq "still no taint" 0 "$(taint_forced_rmmod)"
