# lockwatch-full: a task takes more spinlocks than its lockwatch table holds
# (hp_spinoops deep=40: hp_spinoops_lock, then 40 more, nested) and oopses
# holding them all. The acquisitions past the table's end go unrecorded, so
# lockwatch knows no holder for sure any more: `locks release` refuses
# hp_spinoops_lock (it was recorded, but an unrecorded acquisition came
# after it, so it is uncertain, and once the full table has reclaimed it
# it is not known held at all) and releases nothing; `lockwatch status`
# (text and --json) says the table filled and how many acquisitions were
# not recorded.
# Then the full table reclaims them, and is full no more. Not on
# PREEMPT_RT (its sleeping locks are never released: lockrelease-
# unload).
# timeout: 300
# accel: tcg,thread=single
if uname -v | grep -q PREEMPT_RT; then
	skip "PREEMPT_RT: spinlock_t is an rtmutex; its release is refused anyway"
fi
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
expect oops 1
load_patient hp_spinoops deep=40
assert_eq "insmod hp_spinoops deep=40" 0 "$?"
oopsed() { dmesg | grep -q 'RIP: .*hp_spinoops_thread'; }
assert_cmd "the kthread oopsed holding 41 locks" wait_until 10 oopsed
sleep 2
mr locks release hp_spinoops_lock
assert_match "refused" "[13]" "$MR_RC"
# Uncertain, or (once a later lock made the full table reclaim the entries
# the barrier had made uncertain) not known held at all.
assert_cmd "refused: not released ($MR_ERR)" sh -c \
	"echo '$MR_ERR' | grep -qE 'hp_spinoops_lock is not held|not released: .*uncertain'"
assert_eq "no R taint" 0 "$(taint_forced_rmmod)"
assert_cmd "nothing released" sh -c "! dmesg | grep -q 'modrescue: released'"
mr lockwatch status
assert_eq "status" 0 "$MR_RC"
assert_match "status: blind" \
	"*lockwatch: blind spots since arming: * acquisition(s) not recorded (table full)*" \
	"$MR_OUT"
assert_cmd "status: some not recorded" sh -c \
	"echo '$MR_OUT' | grep -q ', [1-9][0-9]* acquisition(s) not recorded (table full)'"
mr lockwatch status --json
assert_match "status --json: full" "*\"full\":[1-9]*" "$MR_OUT"
assert_match "status --json: blind" "*\"blind\":true*" "$MR_OUT"
# The dead task's entries never drain by themselves: the next lock taken
# on that CPU finds the table full and reclaims them (the barrier made them
# uncertain), so the table does not stay blind.
reclaimed() {
	modrescue lockwatch status --json >/tmp/lw.json 2>/dev/null &&
		grep -q '"reclaimed":[1-9][0-9]*,"full_tables":0,' /tmp/lw.json
}
assert_cmd "the full table reclaimed the dead task's entries" wait_until 20 reclaimed
