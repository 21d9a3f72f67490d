# why-swap: a loop device used as swap holds loop's module reference with
# no process holding it open. why names it ("used by swap on /dev/loop0"),
# and unload refuses (exit 3), --force or not: loop stays loaded with its
# references. Once swapped off and detached, loop unloads. (The guest has
# no dmsetup or mdadm: stacked holders, /sys/block/loopN/holders, are
# covered by the unit tests only.)
# timeout: 180
assert_cmd "modprobe loop" modprobe loop
assert_cmd "swap image" dd if=/dev/zero of=/tmp/swap.img bs=1024 count=8192
assert_cmd "losetup" losetup /dev/loop0 /tmp/swap.img
assert_cmd "mkswap" mkswap /dev/loop0
assert_cmd "swapon" swapon /dev/loop0
cat /proc/swaps
# The bound device holds one reference and swap holds its device open
# (measured: 3 in all on 6.1, swapon opens it twice).
refs=$(mod_refcnt loop)
assert_cmd "swap and the bound device hold references ($refs)" [ "$refs" -ge 2 ]

mr why loop
assert_eq "why: exit 0" 0 "$MR_RC"
assert_match "why names the swap" "*used by swap on /dev/loop0*" "$MR_OUT"
assert_match "why: unload refuses" "*modrescue unload refuses, --force or not*swapoff*" \
	"$MR_OUT"
modrescue why --json loop | mr-jflat >/tmp/j.flat
assert_cmd "why --json: bdev_users has the swap" \
	grep -qx 'module\.bdev_users\.[0-9]*=swap on /dev/loop0' /tmp/j.flat
assert_cmd "why --json: and the binding" \
	grep -qx 'module\.bdev_users\.[0-9]*=loop0 bound to /tmp/swap.img (losetup -d /dev/loop0 releases it)' /tmp/j.flat

refused_for loop "swap on loop0" "swap on /dev/loop0"
assert_eq "loop: still live" live "$(mod_state loop)"
assert_eq "loop: refcnt kept" "$refs" "$(mod_refcnt loop)"
assert_cmd "swap still on" grep -q "^/dev/loop0 " /proc/swaps

assert_cmd "swapoff" swapoff /dev/loop0
assert_cmd "losetup -d" losetup -d /dev/loop0
assert_cmd "references dropped" wait_until 5 refcnt_is loop 0
mr unload loop
assert_eq "loop: unloaded once swapped off" 0 "$MR_RC"
assert_eq "loop gone" absent "$(mod_state loop)"
