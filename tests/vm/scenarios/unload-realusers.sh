# Do no harm: modrescue unload finds the users of ordinary in-tree modules
# (and patients) in the kernel, in every namespace, and refuses for them,
# --force or not; a reference nothing explains is refused unless --force;
# once the user is gone, the module unloads. Also the CLI in a child PID
# namespace, concurrent unloads, and callers without privilege.
# timeout: 240
HOLD=/tmp/hold.out
# hold KIND ARGS...: start holdfast in the background, wait for "ready".
hold() {
	rm -f "$HOLD" # the last holder's "ready" must not count
	holdfast "$@" >"$HOLD" 2>&1 &
	HOLDER=$!
	wait_until 5 grep -q ready "$HOLD"
}

# A block device held open, and bound: loop.
assert_cmd "modprobe loop" modprobe loop
dd if=/dev/zero of=/tmp/disk.img bs=1k count=1024 2>/dev/null
assert_cmd "losetup" losetup /dev/loop0 /tmp/disk.img
hold open /dev/loop0
mr why loop
assert_match "loop: why names the holder" "*held open by pid $HOLDER*" "$MR_OUT"
refused_for loop "loop open" "pid $HOLDER (holdfast) fd 3 block device"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
# Still bound: the bound device holds a reference, open or not. A user:
# refused, --force or not.
assert_cmd "loop: bound device holds a reference" wait_until 5 refcnt_is loop 1
mr unload --force loop
assert_eq "loop bound: refused, --force or not" 3 "$MR_RC"
assert_match "loop bound: names the binding" \
	"*Module loop is in use by: loop0 bound to /tmp/disk.img (losetup -d /dev/loop0 releases it)*" \
	"$MR_ERR"
assert_eq "loop bound: still live" live "$(mod_state loop)"
assert_eq "loop bound: reference kept" 1 "$(mod_refcnt loop)"
assert_eq "loop bound: no taint" 0 "$(taint_forced_rmmod)"
assert_cmd "losetup -d" losetup -d /dev/loop0
mr unload loop
assert_eq "loop: unloaded once unbound" 0 "$MR_RC"
assert_eq "loop gone" absent "$(mod_state loop)"

# A socket of a protocol module: can-raw.
assert_cmd "modprobe can-raw" modprobe can-raw
hold socket 29 3 1
refused_for can_raw "can socket" "pid $HOLDER (holdfast) fd 3 socket"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
assert_cmd "can_raw: socket gone" wait_until 5 refcnt_is can_raw 0
mr unload --cascade can
assert_eq "can: unloaded once the socket closed" 0 "$MR_RC"
assert_eq "can_raw gone" absent "$(mod_state can_raw)"
assert_eq "can gone with it" absent "$(mod_state can)"
assert_eq "can: nothing forced, no taint" 0 "$(taint_forced_rmmod)"

# A mapping whose fd was closed: only the mapping holds hp_openfd.
load_patient hp_openfd
hold map /dev/hp_openfd
refused_for hp_openfd "mapping" "pid $HOLDER (holdfast) maps hp_openfd"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
assert_cmd "mapping gone" wait_until 5 refcnt_is hp_openfd 0
mr unload hp_openfd
assert_eq "hp_openfd: unloaded once unmapped" 0 "$MR_RC"
assert_eq "hp_openfd gone" absent "$(mod_state hp_openfd)"
assert_cmd "hp_openfd: its exit ran" sh -c 'dmesg | grep -q "hp_openfd: exit done"'
assert_eq "hp_openfd: no taint" 0 "$(taint_forced_rmmod)"

# A tty held open: its f_op is the tty core's; the cdev is the driver's.
load_patient hp_tty
assert_cmd "hp_tty0 exists" test -c /dev/hp_tty0
hold open /dev/hp_tty0
refused_for hp_tty "tty" "pid $HOLDER (holdfast) fd 3 char device hp_tty0"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
assert_cmd "tty closed" wait_until 5 refcnt_is hp_tty 0
mr unload hp_tty
assert_eq "hp_tty: unloaded once closed" 0 "$MR_RC"
assert_eq "hp_tty gone" absent "$(mod_state hp_tty)"
assert_cmd "hp_tty: its exit ran" sh -c 'dmesg | grep -q "hp_tty: exit done"'
assert_cmd "hp_tty: its device went with it" sh -c '! test -e /sys/class/tty/hp_tty0'

# A mount that only another mount namespace sees.
assert_cmd "modprobe binfmt_misc" modprobe binfmt_misc
mkdir -p /tmp/nsmnt
rm -f "$HOLD"
unshare -m sh -c 'mount -t binfmt_misc none /tmp/nsmnt && echo ready && exec sleep 1000' >"$HOLD" 2>&1 &
HOLDER=$!
wait_until 5 grep -q ready "$HOLD"
assert_cmd "not mounted here" sh -c "! grep -q binfmt_misc /proc/self/mountinfo"
refused_for binfmt_misc "mount in another namespace" "mounted filesystem binfmt_misc"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
assert_cmd "mount gone with its namespace" wait_until 5 refcnt_is binfmt_misc 0
mr unload binfmt_misc
assert_eq "binfmt_misc: unloaded once unmounted" 0 "$MR_RC"
assert_eq "binfmt_misc gone" absent "$(mod_state binfmt_misc)"
assert_cmd "binfmt_misc: its filesystem type went with it" \
	sh -c '! grep -qw binfmt_misc /proc/filesystems'
assert_eq "binfmt_misc: no taint" 0 "$(taint_forced_rmmod)"

# The CLI in a child PID namespace: it cannot see the rmmod asleep in
# hp_exitwait's exit, the helper can. Refused, nothing changed.
stuck_rmmod hp_exitwait
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
exitwait_stuck() { [ "$(task_state "$rmmod_hp_exitwait")" = D ]; }
assert_cmd "exitwait: rmmod stuck" wait_until 10 exitwait_stuck
unshare -p -f -m --mount-proc modrescue unload hp_exitwait >/tmp/mr.out 2>/tmp/mr.err
MR_RC=$?
MR_ERR=$(cat /tmp/mr.err)
sed 's/^/  | /' /tmp/mr.out /tmp/mr.err
assert_eq "container: refused" 3 "$MR_RC"
assert_match "container: names the unseen task" \
	"*Module hp_exitwait is in use by: *a task outside this PID namespace (rmmod)*" "$MR_ERR"
assert_eq "container: still going" going "$(mod_state hp_exitwait)"
assert_eq "container: rmmod still asleep" D "$(task_state "$rmmod_hp_exitwait")"
assert_eq "container: no taint" 0 "$(taint_forced_rmmod)"

# Two stuck modules unloaded at once: one helper, shared; both released.
stuck_rmmod hp_heapwait
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
heapwait_stuck() { [ "$(task_state "$rmmod_hp_heapwait")" = D ]; }
assert_cmd "heapwait: rmmod stuck" wait_until 10 heapwait_stuck
modrescue unload hp_exitwait >/tmp/mr1.out 2>&1 &
one=$!
modrescue unload hp_heapwait >/tmp/mr2.out 2>&1 &
two=$!
wait "$one"
rc1=$?
wait "$two"
rc2=$?
sed 's/^/  1| /' /tmp/mr1.out
sed 's/^/  2| /' /tmp/mr2.out
assert_eq "concurrent: exitwait released" 0 "$rc1"
assert_eq "concurrent: heapwait released" 0 "$rc2"
assert_cmd "concurrent: nobody failed to load" sh -c "! grep -q 'File exists' /tmp/mr1.out /tmp/mr2.out"
assert_eq "concurrent: exitwait gone" absent "$(mod_state hp_exitwait)"
assert_eq "concurrent: heapwait gone" absent "$(mod_state hp_heapwait)"
[ -d /sys/module/modrescue ] && rmmod modrescue
assert_cmd "concurrent: helper not left behind" sh -c "! test -d /sys/module/modrescue"

# Callers without privilege: told so, and the read-only commands work.
load_patient hp_refleak
dropcap modrescue unload --force hp_refleak >/tmp/mr.out 2>/tmp/mr.err
assert_eq "no CAP_SYS_MODULE: unload fails" 1 "$?"
assert_match "no CAP_SYS_MODULE: said so" "*unload needs CAP_SYS_MODULE*" "$(cat /tmp/mr.err)"
assert_cmd "no CAP_SYS_MODULE: status works" dropcap modrescue status hp_refleak
assert_cmd "non-root: status works" dropcap -u 65534 modrescue status hp_refleak
dropcap -u 65534 modrescue unload --force hp_refleak >/tmp/mr.out 2>/tmp/mr.err
assert_eq "non-root: unload fails" 1 "$?"
assert_match "non-root: said so" "*unload needs CAP_SYS_MODULE*" "$(cat /tmp/mr.err)"
assert_eq "unprivileged: refcnt untouched" 1 "$(mod_refcnt hp_refleak)"
# The helper's parameters are kernel addresses: not in sysfs at all.
assert_cmd "helper loads" load_helper
assert_cmd "helper parameters hidden" sh -c "! ls /sys/module/modrescue/parameters/modules_addr 2>/dev/null"
# A helper someone else loaded is shared, and left loaded for them.
mr unload --force hp_refleak
assert_eq "shared helper: unloaded the leak" 0 "$MR_RC"
assert_eq "shared helper: hp_refleak gone" absent "$(mod_state hp_refleak)"
assert_cmd "shared helper: its exit ran" sh -c 'dmesg | grep -q "hp_refleak: exit done"'
assert_eq "shared helper: forced, so tainted R" 1 "$(taint_forced_rmmod)"
assert_cmd "shared helper: not loaded again" sh -c "! echo \"\$0\" | grep -q 'loaded the helper'" "$MR_OUT"
assert_cmd "shared helper: left loaded for its owner" test -d /sys/module/modrescue
rmmod modrescue

# A net device that only another network namespace has, left behind by an
# exit that oopsed (hp_netoops, GOING): refused, named, nothing changed.
expect oops 1
rm -f "$HOLD"
unshare -n sh -c "$MR_KMOD/insmod $MR_PATIENTS/hp_netoops.ko caller_netns=1 && echo ready && exec sleep 1000" >"$HOLD" 2>&1 &
HOLDER=$!
assert_cmd "hp_netoops loaded in a new netns" wait_until 10 grep -q ready "$HOLD"
assert_cmd "hpnet0 not in this namespace" sh -c "! test -d /sys/class/net/hpnet0"
rmmod hp_netoops 2>/dev/null
assert_eq "netns: going" going "$(mod_state hp_netoops)"
mr unload hp_netoops
assert_eq "netns: refused" 3 "$MR_RC"
assert_match "netns: names the device" "*Module hp_netoops is in use by: *net device hpnet0*" "$MR_ERR"
assert_eq "netns: still going" going "$(mod_state hp_netoops)"
