# rescue-kthreadstop: a task waiting in kthread_stop() is never released:
# its completion lives in the stopped thread's struct kthread, which seed
# 003 shows freed. Neither the CLI nor, asked directly, the helper writes
# it; unload quarantines the module instead.
#
# First seed 003 itself (hp_kthreadstop): rmmod either oopses (GOING, no
# task left: unload takes it out) or hangs in kthread_stop() on the freed
# thread's completion (quarantined). The hang is the rarer outcome.
#
# Then a live case, to see the refusal for sure: hp_spinlong's exit stops a
# kthread that keeps running until the scenario lets it go, so rmmod waits
# in kthread_stop(). It gets quarantined, and then the wait ends: the
# parked rmmod is woken all the same, the exit ends, and the kernel frees
# the quarantined copy, renamed, while a fixed build of the same module is
# loaded.
PROBE=rescue-probe
in_kthread_stop() {
	[ "$(task_state "$1")" = D ] && grep -q kthread_stop "/proc/$1/stack"
}

expect oops 0 1
expect warning 0 2
# Rarely the freed memory still reads as a stopped kthread and rmmod
# finishes, the use-after-free unnoticed: then load it and try again.
for attempt in 1 2 3; do
	load_patient hp_kthreadstop
	assert_cmd "the thread was reaped before init returned" \
		sh -c 'dmesg | grep -q "hp_kthreadstop: thread [0-9]* has exited and been reaped"'
	try_rmmod hp_kthreadstop
	[ "$RMMOD_OUTCOME" = unloaded ] || break
	note "attempt $attempt: rmmod finished, the use-after-free unnoticed"
done
expect_done
assert_oneof "rmmod" "$RMMOD_OUTCOME" "killed (oops)" "hangs (D state)"
assert_eq "going" going "$(mod_state hp_kthreadstop)"
if [ "$RMMOD_OUTCOME" = "killed (oops)" ]; then
	mr unload hp_kthreadstop
	assert_eq "oopsed: unloaded" 0 "$MR_RC"
	assert_eq "oopsed: gone" absent "$(mod_state hp_kthreadstop)"
	assert_cmd "reloads" load_patient hp_kthreadstop healthy=1
	assert_cmd "and unloads normally" rmmod hp_kthreadstop
else
	assert_match "hung in kthread_stop" "*kthread_stop*" "$(cat "/proc/$RMMOD_PID/stack")"
	# The CLI refuses to release it...
	mr unblock "$RMMOD_PID"
	assert_eq "unblock: refused" 3 "$MR_RC"
	assert_match "unblock: says why" "*kthread_stop()*" "$MR_ERR"
	# ... and so does the helper, asked directly.
	assert_cmd "helper loads" load_helper
	run_probe unblock "$RMMOD_PID" hp_kthreadstop going
	assert_eq "helper: refused" EINVAL "$(probe result)"
	assert_eq "helper: because of kthread_stop" 5 "$(probe reason)"
	assert_cmd "helper unloads" rmmod modrescue
	assert_eq "still asleep" D "$(task_state "$RMMOD_PID")"

	mr unload hp_kthreadstop
	assert_eq "unload: quarantined" 4 "$MR_RC"
	assert_match "unload: not released" "*cannot release pid $RMMOD_PID (rmmod)*kthread_stop()*" "$MR_OUT"
	assert_match "unload: quarantined" "*quarantined as hp_kthreadstop.q1*" "$MR_OUT"
	assert_cmd "nothing was completed" sh -c "! dmesg | grep -q 'released pid'"
	assert_cmd "a fixed build loads" load_patient hp_kthreadstop healthy=1
	assert_cmd "and unloads normally" rmmod hp_kthreadstop
	sleep 3
	# Asleep on the freed completion, and its copy kept; unless the
	# memory's new owner completed it: then the rmmod finished and the
	# kernel freed the copy the normal way. Each outcome by its effects.
	case "$(task_state "$RMMOD_PID")" in
	D | I)
		assert_eq "asleep: its copy is kept" going "$(mod_state hp_kthreadstop.q1)" ;;
	*)
		note "the freed completion was completed by its memory's new owner"
		assert_cmd "woken: its copy was freed" wait_until 10 is_absent hp_kthreadstop.q1 ;;
	esac
fi

# The thread keeps running after kthread_stop() until the scenario
# releases it (ignore_stop): timed holds were unreliable under a loaded
# host, whose emulated clock ran both fast and slow.
load_patient hp_spinlong hold_ms=100 ignore_stop=1
sleep 1
"$MR_KMOD/rmmod" hp_spinlong &
stopper=$!
assert_cmd "rmmod waits in kthread_stop" wait_until 12 in_kthread_stop "$stopper"
mr unblock "$stopper"
assert_eq "live: unblock refused" 3 "$MR_RC"
assert_match "live: says why" "*kthread_stop()*" "$MR_ERR"
assert_cmd "helper loads" load_helper
run_probe unblock "$stopper" hp_spinlong going
assert_eq "live: helper refuses" EINVAL "$(probe result)"
assert_eq "live: because of kthread_stop" 5 "$(probe reason)"
mr unload --keep-helper hp_spinlong
assert_eq "live: quarantined" 4 "$MR_RC"
assert_match "live: parked" "*pid $stopper (rmmod) is parked*" "$MR_OUT"
assert_cmd "live: a fixed build loads at once" load_patient hp_spinlong healthy=1
assert_oneof "live: the rmmod still waits" "$(task_state "$stopper")" D I
# Now the thread lets go (through the copy's renamed /sys/module entry).
echo 1 >/sys/module/hp_spinlong.q1/parameters/release
# The thread lets go, kthread_stop() returns, the exit ends.
assert_cmd "live: the parked rmmod is woken and finishes" \
	wait_until 30 is_finished "$stopper"
is_finished "$stopper" && wait "$stopper"
assert_eq "live: and succeeds" 0 "$?"
assert_cmd "live: the quarantined copy is freed" wait_until 5 is_absent hp_spinlong.q1
assert_cmd "live: its exit ran to its end" sh -c "dmesg | grep -q 'hp_spinlong: exit done'"
assert_eq "live: the fixed build is untouched" live "$(mod_state hp_spinlong)"
assert_cmd "live: and unloads normally" rmmod hp_spinlong
assert_cmd "helper unloads" rmmod modrescue
assert_cmd "nothing was completed" sh -c "! dmesg | grep -q 'released pid'"
