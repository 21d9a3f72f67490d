# A task stays inside one of lockwatch's lock hooks for good, and lockwatch
# is turned off, or the helper is unloaded by force (rmmod -f modrescue,
# CONFIG_MODULE_FORCE_UNLOAD). hp_spinoops' kthread oopses holding
# hp_spinoops_lock, and a plain `rmmod hp_spinoops` then runs its exit,
# which takes that lock through lockwatch's hook and never gets it:
# - On 6.1 and 6.12 it spins there, and its CPU never schedules. Unhooking
#   would wait for it for good (RCU Tasks waits for a task that runs, RCU
#   Tasks Rude for every CPU), so `lockwatch off` refuses, saying why, and
#   stays armed; rmmod -f waits in the helper's exit, the
#   hooks still armed, saying so, and never returns.
# - On PREEMPT_RT it sleeps there (an rtmutex). Disarming goes ahead and
#   leaves it behind; rmmod -f then waits for it to leave before the
#   helper's code is freed, saying so, and never returns.
# Either way the helper stays, unloading, and there is no oops but the
# patient's.
# timeout: 300
# accel: tcg,thread=single
# smp: 3
p=hp_spinoops
rt=0
uname -v | grep -q PREEMPT_RT && rt=1
spinoops_under_lockwatch
expect_done

# On CPU 2: it may spin there for good, and powering off needs CPU 0.
if [ "$rt" = 0 ]; then
	# The spinning rmmod holds its CPU until power-off: the watchdogs may
	# say so under a slow emulator.
	expect softlockup 0 2
	expect rcustall 0 2
fi
taskset 4 "$MR_KMOD/rmmod" $p 2>/dev/null &
stuck=$!
in_exit() { dmesg | grep -q "$p: exit taking the lock"; }
assert_cmd "rmmod $p: its exit takes the lock" wait_until 10 in_exit
if [ "$rt" = 0 ]; then
	sleep 1
	assert_eq "rmmod $p: spinning inside the hook" R "$(task_state "$stuck")"
	mr lockwatch off
	assert_eq "lockwatch off: refused" 1 "$MR_RC"
	assert_match "lockwatch off: says why" \
		"*cannot disarm lockwatch: a CPU has not scheduled for 2 s*release that lock first*" \
		"$MR_ERR"
	mr lockwatch status --json
	assert_match "lockwatch: still armed" '*"on":true,*' "$MR_OUT"
	"$MR_KMOD/rmmod" -f modrescue 2>/dev/null &
	forced=$!
	waits() { dmesg | grep -q "forced unload: a CPU has not scheduled for 2 s (a task spinning on a lock never granted?); waiting for it, the hooks still armed, before disarming"; }
	assert_cmd "rmmod -f: the helper's exit says it waits" wait_until 10 waits
	assert_cmd "rmmod -f: it did not disarm" sh -c '! dmesg | grep -q "lockwatch disarmed"'
else
	asleep() { [ "$(task_state "$stuck")" = D ]; }
	assert_cmd "rmmod $p: asleep on the lock, inside the hook" wait_until 10 asleep
	"$MR_KMOD/rmmod" -f modrescue 2>/dev/null &
	forced=$!
	disarmed() { dmesg | grep -q "lockwatch disarmed; 1 task(s) still inside a lock hook keep the helper loaded"; }
	assert_cmd "rmmod -f: disarmed, the task still inside its hook" wait_until 60 disarmed
	waits() { dmesg | grep -q "forced unload: 1 task(s) still inside a lock hook; waiting for them to leave before the helper's code is freed"; }
	assert_cmd "rmmod -f: the helper's exit says it waits" wait_until 10 waits
fi
sleep 2
assert_cmd "rmmod -f: the rmmod has not returned" kill -0 "$forced"
assert_eq "rmmod -f: it sleeps for good" I "$(task_state "$forced")"
assert_eq "rmmod -f: the helper stays, unloading" going "$(mod_state modrescue)"
assert_cmd "rmmod -f: its exit did not finish" \
	sh -c '! dmesg | grep -q "left its lock hook"'
assert_cmd "rmmod $p: still inside the hook" kill -0 "$stuck"
assert_cmd "a new process still runs" sh -c 'echo alive >/tmp/alive && grep -q alive /tmp/alive'
