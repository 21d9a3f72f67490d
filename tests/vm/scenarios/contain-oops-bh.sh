# contain-oops-bh: an oops with BH off. hp_spinoops bh=1's kthread oopses
# holding hp_spinoops_lock taken with spin_lock_bh(), so in_interrupt() is
# true and oops_end() would panic ("Fatal exception in interrupt") before
# the task dies. With `contain on`, the die notifier releases the task's
# own _bh lock with IRQs still off, then re-enables BH (so no softirq can
# find the lock held with BH on), the oops ends the task, the preempt
# count comes out even, and `unload` succeeds with its exit completed.
# Not on PREEMPT_RT, where BH-off cannot be undone from the oops path (see
# kernel/locks/contain.c): there such an oops still panics, as without modrescue.
# timeout: 300
# accel: tcg,thread=single
p=hp_spinoops
# On PREEMPT_RT the oops still panics, as the contract says.
if uname -v | grep -q PREEMPT_RT; then
	mr contain on
	assert_eq "RT: on" 0 "$MR_RC"
	expect oops 1
	expect_panic "Fatal exception in interrupt"
	load_patient $p bh=1
	sleep 10
	fail "RT: an oops with BH off did not panic"
	exit 0
fi

mr contain on
assert_eq "on" 0 "$MR_RC"

expect oops 1
load_patient $p bh=1
assert_eq "insmod $p bh=1" 0 "$?"
assert_cmd "the kthread oopsed with BH off" wait_until 10 oopsed_in hp_spinoops_thread
assert_cmd "the dying task released the lock" wait_until 10 oops_released hp_spinoops hp_spinoops_lock
dmesg | grep "modrescue: oops in" | sed 's/^/  log: /'
assert_cmd "released with unlock_bh, before BH comes back" \
	sh -c 'dmesg | grep -A1 "released lock hp_spinoops_lock \[hp_spinoops\] (taken at .*) with unlock_bh$" | grep -q "BH re-enabled for lock hp_spinoops_lock \[hp_spinoops\]"'
assert_cmd "released once" \
	test "$(dmesg | grep -c 'released lock hp_spinoops_lock')" = 1
assert_cmd "no panic" sh -c '! dmesg | grep -q "Fatal exception"'
assert_cmd "no 'exited with preempt_count'" \
	sh -c '! dmesg | grep -q "exited with preempt_count"'

locks_json /tmp/locks.json
assert_cmd "locks: the lock is not held" sh -c '! grep -q hp_spinoops_lock /tmp/locks.json'
mr contain status --json
assert_match "status: one oops, one lock" '*"oopses_seen":1,*"locks_released":1,*' "$MR_OUT"

mr unload $p
assert_eq "unload $p" 0 "$MR_RC"
assert_eq "$p state" absent "$(mod_state $p)"
assert_cmd "the exit ran to its end" sh -c 'dmesg | grep -q "hp_spinoops: exit done"'

mr contain off
assert_eq "off" 0 "$MR_RC"
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
assert_cmd "the helper is gone" wait_until 10 is_absent modrescue
