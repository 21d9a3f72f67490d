# rescue-quarantine: rmmod stuck in an exit that waits on something no
# completion releases: a mutex its own kthread holds forever (hp_mutexwait)
# and a wait_event() whose condition never comes true (hp_waitevent).
# modrescue unload quarantines them (exit 4): renamed NAME.q1, memory kept,
# the stuck rmmod still asleep on valid memory and parked out of the
# hung-task detector; the same .ko loads again at once; the system stays
# healthy.
PROBE=rescue-probe
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
both_stuck() {
	[ "$(task_state "$rmmod_hp_mutexwait")" = D ] &&
		[ "$(task_state "$rmmod_hp_waitevent")" = D ]
}
hung_reports() { dmesg | grep -c "blocked for more than"; }

stuck_rmmod hp_mutexwait
stuck_rmmod hp_waitevent
assert_cmd "both rmmods stuck" wait_until 10 both_stuck
mutex_rmmod=$rmmod_hp_mutexwait
wait_rmmod=$rmmod_hp_waitevent
kthread=$(grep -lx hp_mutexwait /proc/[0-9]*/comm | cut -d/ -f3)
assert_match "hp_mutexwait's kthread" "[0-9]*" "$kthread"

# The hung-task detector, made quick: it sees the stuck rmmods...
expect hung 1 40
hung_detector_quick
assert_cmd "the detector reports the stuck rmmods" wait_until 8 sh -c \
	"dmesg | grep -q 'blocked for more than'"

# --no-quarantine: refused, untouched.
mr unload --no-quarantine hp_waitevent
assert_eq "--no-quarantine: refused" 3 "$MR_RC"
assert_match "--no-quarantine: says why" "*cannot be released (it does not wait on a completion*not quarantined (--no-quarantine)*" "$MR_ERR"
assert_eq "--no-quarantine: untouched" going "$(mod_state hp_waitevent)"

for p in hp_mutexwait hp_waitevent; do
	pid=$(eval "echo \$rmmod_$p")
	mr unload $p
	assert_eq "$p: quarantined, exit 4" 4 "$MR_RC"
	assert_match "$p: says so" "*quarantined as $p.q1*" "$MR_OUT"
	assert_match "$p: result" "$p: quarantined*" "$MR_OUT"
	assert_match "$p: parked" "*pid $pid (rmmod) is parked*" "$MR_OUT"
	assert_eq "$p: the name is free" absent "$(mod_state $p)"
	assert_eq "$p: its copy stays, going" going "$(mod_state $p.q1)"
	assert_cmd "$p: /proc/modules lists the copy" grep -q "^$p.q1 " /proc/modules
	assert_oneof "$p: the rmmod still sleeps" "$(task_state "$pid")" D I
done
assert_eq "TAINT_FORCED_RMMOD set" 1 "$(taint_forced_rmmod)"
# The helper refuses any edit of a quarantined copy, even declared leaked:
# its task sleeps in it for good.
assert_cmd "helper for a direct check" load_helper
PROBE=surgery-probe
run_probe prepare hp_waitevent.q1 0x7 2 force
assert_eq "PREPARE on NAME.qN: refused" EPERM "$(probe result)"
assert_eq "NAME.qN still going" going "$(mod_state hp_waitevent.q1)"
rmmod modrescue
PROBE=rescue-probe
assert_cmd "quarantine logged" sh -c "dmesg | grep -q 'hp_waitevent: quarantined as hp_waitevent.q1'"

# ... and no longer reports them once they are parked.
before=$(hung_reports)
sleep 6
assert_eq "no hung-task report after parking" "$before" "$(hung_reports)"
hung_detector_default

# status: verdict quarantined, with the stuck task.
out=$(modrescue status)
printf '%s\n' "$out"
# The stuck rmmod still unloads the copy (its frames say NAME.q1, its
# argument NAME).
assert_match "status: hp_mutexwait.q1 quarantined" "*hp_mutexwait.q1 *going *quarantined *rmmod\[$mutex_rmmod\]:unload*" "$out"
assert_match "status: hp_waitevent.q1 quarantined" "*hp_waitevent.q1 *going *quarantined *rmmod\[$wait_rmmod\]:unload*" "$out"

# unload refuses a quarantined module, by either name.
mr unload hp_waitevent.q1
assert_eq "unload the copy: refused" 3 "$MR_RC"
assert_match "unload the copy: why" "*quarantined: it cannot be freed while pid $wait_rmmod (rmmod) sleeps in it*" "$MR_ERR"
mr unload hp_waitevent
assert_eq "unload the old name: refused" 3 "$MR_RC"
assert_match "unload the old name: why" "*hp_waitevent.q1 is its quarantined copy*" "$MR_ERR"
# The kernel itself refuses too: the copy is not LIVE.
assert_cmd "rmmod of the copy refused" sh -c "! rmmod hp_waitevent.q1 2>/dev/null"
assert_cmd "rmmod -f of the copy refused" sh -c "! rmmod -f hp_waitevent.q1 2>/dev/null"
assert_eq "the copy stays" going "$(mod_state hp_waitevent.q1)"

# The same .ko loads again at once: a fixed build, and the plain one.
assert_cmd "hp_mutexwait: fixed build loads" load_patient hp_mutexwait healthy=1
assert_cmd "no sysfs name collision" sh -c "! dmesg | grep -q 'cannot create duplicate'"
assert_eq "hp_mutexwait: fixed build live" live "$(mod_state hp_mutexwait)"
out=$(modrescue status hp_mutexwait)
printf '%s\n' "$out"
assert_match "status: the fixed build is unloadable" "*hp_mutexwait *live *unloadable*" "$out"
# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
assert_cmd "status: the old rmmod is not the fixed build's" \
	sh -c 'case "$1" in *"rmmod[$2]"*) exit 1 ;; esac' _ "$out" "$mutex_rmmod"
assert_cmd "hp_mutexwait: fixed build unloads" rmmod hp_mutexwait
assert_cmd "hp_waitevent: plain build loads" load_patient hp_waitevent
assert_eq "hp_waitevent: live" live "$(mod_state hp_waitevent)"
assert_cmd "hp_waitevent: /sys/module has both" \
	test -d /sys/module/hp_waitevent -a -d /sys/module/hp_waitevent.q1

# The quarantine ioctl refuses what it must.
assert_cmd "helper loads" load_helper
run_probe quarantine hp_waitevent.q1 going
assert_eq "quarantine twice" EALREADY "$(probe result)"
run_probe quarantine hp_waitevent live
assert_eq "quarantine a LIVE module" EINVAL "$(probe result)"
run_probe quarantine hp_waitevent going
assert_eq "quarantine, wrong state" ESTALE "$(probe result)"
run_probe quarantine no_such_module going
assert_eq "quarantine, no such module" ENOENT "$(probe result)"
run_probe quarantine modrescue going
assert_eq "quarantine the helper" EINVAL "$(probe result)"
run_probe quarantine hp_waitevent.q1 going flags=0x2
assert_eq "quarantine, unknown flag" EINVAL "$(probe result)"
run_probe unblock "$mutex_rmmod" hp_mutexwait.q1 going dry
assert_eq "unblock a mutex waiter" ENOENT "$(probe result)"
assert_eq "  no completion wait" 2 "$(probe reason)"
run_probe unblock "$wait_rmmod" hp_waitevent.q1 going dry
assert_eq "unblock a wait_event waiter" ENOENT "$(probe result)"
assert_cmd "helper unloads" rmmod modrescue

# Healthy for 10 s and more: modules come and go, tools work.
sleep 10
for i in 1 2 3; do
	assert_cmd "loop: loads ($i)" load_patient hp_refleak healthy=1
	assert_cmd "loop: unloads ($i)" rmmod hp_refleak
done
assert_cmd "status still works" modrescue status
assert_cmd "lsmod still works" lsmod
assert_oneof "the mutex rmmod still sleeps" "$(task_state "$mutex_rmmod")" D I
# /proc/PID/stack is empty while the task is on a CPU: look a few times.
kthread_in_copy() {
	case "$(cat "/proc/$kthread/stack")" in
	*hp_mutexwait_thread*hp_mutexwait.q1*) return 0 ;;
	esac
	return 1
}
assert_cmd "its kthread still runs, in the copy" wait_until 5 kthread_in_copy
