# timeout: 240
# leftover-devices: an exit that oopses before it unregisters what points
# into the module: a misc device (in module data and on the heap), a /proc
# file, a char device (static cdev and cdev_alloc'd), a platform driver
# bound to its device, a handler on a shared IRQ line (9: ACPI's SCI in
# the lab's QEMU). Freed, the next walk of the kernel list or the next use
# would oops (the helper's own misc_deregister, a read of the file, an open
# of the device, an unbind, a read of /proc/interrupts). modrescue unload
# names each leftover and quarantines the module (exit 4); then each is
# used for several seconds and the system stays fine.
irq=9
n=0
for heap in 0 1; do
	c="misc heap=$heap"
	lo_crash "$c" kind=misc heap=$heap id=$heap
	minor=$(awk -v d="hp_leftover$heap" '$2 == d { print $1 }' /proc/misc)
	assert_match "$c: /proc/misc lists it" "[0-9]*" "$minor"
	item="misc device /dev/hp_leftover$heap (10:$minor)*"
	[ "$heap" = 0 ] && lo_refusals "$c" going "$item"
	n=$((n + 1))
	lo_quarantine "$c" $n going "$item"
done

lo_crash proc kind=proc id=2
lo_refusals proc going "*hp_leftover*"
n=$((n + 1))
lo_quarantine proc $n going "*hp_leftover*"

for heap in 0 1; do
	c="chrdev heap=$heap"
	id=$((3 + heap))
	lo_crash "$c" kind=chrdev heap=$heap id=$id
	n=$((n + 1))
	lo_quarantine "$c" $n going "*hp_leftover*"
done
major3=$(awk '$2 == "hp_leftover3" { print $1 }' /proc/devices)
major4=$(awk '$2 == "hp_leftover4" { print $1 }' /proc/devices)
assert_match "/proc/devices lists hp_leftover3" "[0-9]*" "$major3"
assert_match "/proc/devices lists hp_leftover4" "[0-9]*" "$major4"
mknod /tmp/hp_leftover3 c "$major3" 0
mknod /tmp/hp_leftover4 c "$major4" 0

lo_crash platform kind=platform id=5
assert_cmd "platform: bound" test -e /sys/bus/platform/devices/hp_leftover5/driver
n=$((n + 1))
lo_quarantine platform $n going "*hp_leftover*"

lo_crash irq kind=irq irq=$irq id=6
assert_cmd "irq: on line $irq" sh -c "grep -q '^ *$irq:.*hp_leftover6' /proc/interrupts"
n=$((n + 1))
lo_quarantine irq $n going "*hp_leftover*"

# listed_in FILE FIELD ID...: hp_leftoverID for each ID named in FIELD of
# a line of FILE (read whole: a freed name would oops the reader).
listed_in() {
	names=$(awk -v f="$2" '{ print $f }' "$1")
	shift 2
	found=""
	for i in "$@"; do
		printf '%s\n' "$names" | grep -qx "hp_leftover$i" &&
			found="$found${found:+ }hp_leftover$i"
	done
	echo "$found"
}

# Use them, for several seconds. An open of a quarantined (GOING) module's
# device may fail (its module reference is refused); it must not oops (a
# killed cat exits 137).
use_all() {
	out=$(cat /dev/hp_leftover0 2>&1)
	assert_oneof "open /dev/hp_leftover0 ($1): $out" "$?" 0 1
	out=$(cat /dev/hp_leftover1 2>&1)
	assert_oneof "open /dev/hp_leftover1 ($1): $out" "$?" 0 1
	assert_eq "/proc/misc ($1)" "hp_leftover0 hp_leftover1" \
		"$(listed_in /proc/misc 2 0 1)"
	assert_match "read /proc/hp_leftover2 ($1)" "hp_leftover2 *" \
		"$(cat /proc/hp_leftover2 2>&1)"
	assert_eq "/proc/devices ($1)" "hp_leftover3 hp_leftover4" \
		"$(listed_in /proc/devices 2 3 4)"
	out=$(cat /tmp/hp_leftover3 2>&1)
	assert_oneof "open char device hp_leftover3 ($1): $out" "$?" 0 1
	out=$(cat /tmp/hp_leftover4 2>&1)
	assert_oneof "open char device hp_leftover4 ($1): $out" "$?" 0 1
	assert_cmd "platform: unbind ($1)" sh -c \
		'echo hp_leftover5 >/sys/bus/platform/drivers/hp_leftover5/unbind'
	assert_cmd "platform: bind ($1)" sh -c \
		'echo hp_leftover5 >/sys/bus/platform/drivers/hp_leftover5/bind'
	assert_cmd "platform: bound again ($1)" \
		test -e /sys/bus/platform/devices/hp_leftover5/driver
	assert_match "/proc/interrupts ($1)" "*hp_leftover6*" \
		"$(grep "^ *$irq:" /proc/interrupts)"
}
for round in 1 2 3; do
	use_all "round $round"
	sleep 2
done
assert_cmd "probe and remove ran in the copy" sh -c \
	"dmesg | grep -q 'hp_leftover5: remove hp_leftover5' && dmesg | grep -q 'hp_leftover5: probe hp_leftover5'"

# The kernel's lists still take healthy newcomers of every kind (each walks
# or links past the kept entries) and let them go.
for kind in misc proc chrdev platform irq; do
	assert_cmd "fixed build, $kind: loads" load_patient hp_leftover healthy=1 kind=$kind id=9
	assert_cmd "fixed build, $kind: unloads" rmmod hp_leftover
done
assert_cmd "/dev/hp_leftover9 gone with it" test ! -e /dev/hp_leftover9
assert_cmd "status still works" modrescue status
