# lockrelease-reasons: `modrescue locks release` refuses, for each of its
# reasons, a lock lockwatch reports held, and writes nothing: the refusal's
# exit code, its text and its --json reason are checked, the lock word is
# read back through the patient (unchanged), the kernel is not tainted R
# and the helper logs no release.
#  context: hp_lockctx leave=1's timer_list callback (softirq) and hrtimer
#    (hardirq) each take a raw spinlock once and return holding it: listed
#    in its context on CPU 1, refused (exit 3, "context"), whatever task
#    the interrupt hit;
#  free / not-a-lock: hp_spinoops' kthread oopsed holding hp_spinoops_lock
#    (owner dead, static module data: releasable); its word is then set
#    behind lockwatch's back to a free lock whose pending bit is set (exit
#    1, "free") and to a locked byte of 2 (exit 3, "not-a-lock"); set back
#    to a held lock, a dry run would release it;
#  exiting: hp_openfd exit_hold_ms: a process killed with the device open
#    takes hp_openfd_lock in the file's release, in do_exit(), and sleeps
#    20 s holding it: refused past the CLI's 3 s of retries (exit 3,
#    "exiting", the pid named), then released by its owner;
#  recent: hp_openfd exit_leave: the killed process leaves the lock held
#    and dies. mr-lockrelease asks the helper (dry runs, no retries) from
#    before the kill on: once the owner is dead, "recent" while held under
#    a second, then "ok" from a second on; the CLI then releases it (exit
#    0, tainted R, the word free).
# Not on PREEMPT_RT (raw spinlocks are not tracked there, spinlock_t is
# refused as "sleeping": lockrelease-unload); not kernel-specific otherwise.
# kernels: 6.1
# timeout: 300
# accel: tcg,thread=single
no_release_yet() {
	assert_eq "$1: no R taint" 0 "$(taint_forced_rmmod)"
	assert_cmd "$1: nothing released" sh -c "! dmesg | grep -q 'modrescue: released'"
}
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"

# context
load_patient hp_lockctx cpu=1 leave=1 period_ms=200 hold_ms=1
assert_eq "insmod hp_lockctx leave=1" 0 "$?"
left() { cat /sys/module/hp_lockctx/parameters/left; }
left_held() { [ "$(left)" = "soft=1 hard=1" ]; }
assert_cmd "context: both words held" wait_until 5 left_held
ctx_listed() {
	taskset 1 modrescue locks --all --json >/tmp/l.json 2>/tmp/l.err &&
		mr-jflat </tmp/l.json >/tmp/l.flat || return 1
	i=$(locks_of "hp_lockctx_$1left_lock [hp_lockctx]")
	[ -n "$i" ] && [ "$(jget "locks.$i.owner.context")" = "$2" ] &&
		[ "$(jget "locks.$i.owner.cpu")" = 1 ]
}
assert_cmd "context: softirq's lock listed in softirq on CPU 1" wait_until 10 ctx_listed soft softirq
assert_cmd "context: hardirq's lock listed in hardirq on CPU 1" wait_until 10 ctx_listed hard hardirq
cat /tmp/l.json
for c in soft:softirq hard:hardirq; do
	k=${c%%:*} ctx=${c#*:}
	mr locks release "hp_lockctx_${k}left_lock"
	assert_eq "context ($ctx): refused" 3 "$MR_RC"
	assert_match "context ($ctx): says why" \
		"*not released: hp_lockctx_${k}left_lock \[hp_lockctx\] held by its $ctx context, taken at hp_lockctx_*+0x*: it was taken in interrupt context, which belongs to no task*" \
		"$MR_ERR"
	mr locks release --json "hp_lockctx_${k}left_lock"
	assert_eq "context ($ctx), --json: refused" 3 "$MR_RC"
	assert_match "context ($ctx), --json: reason" \
		"*\"released\":false,\"reason\":\"context\"*" "$MR_OUT"
done
assert_eq "context: both words still held" "soft=1 hard=1" "$(left)"
no_release_yet context
assert_cmd "rmmod hp_lockctx" rmmod hp_lockctx

# free, not-a-lock
expect oops 1
load_patient hp_spinoops
assert_eq "insmod hp_spinoops" 0 "$?"
assert_cmd "the kthread oopsed with the lock held" wait_until 10 oopsed_in hp_spinoops_thread
expect_done
word() { cat /sys/module/hp_spinoops/parameters/word; }
listed_dead() {
	modrescue locks --all --json >/tmp/locks.json 2>/dev/null
	grep -q '"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{[^}]*"alive":false' /tmp/locks.json
}
assert_cmd "free: listed, its owner dead" wait_until 10 listed_dead
assert_eq "free: its word, as the dead owner left it" 00000001 "$(word)"
sleep 1
echo 100 >/sys/module/hp_spinoops/parameters/word
mr locks release hp_spinoops_lock
assert_eq "free: fails" 1 "$MR_RC"
assert_match "free: says why" \
	"*not released: hp_spinoops_lock \[hp_spinoops\] held by dead pid [0-9]* (hp_spinoops), taken at hp_spinoops_thread+0x*: its lock word says it is free*" \
	"$MR_ERR"
mr locks release --json hp_spinoops_lock
assert_eq "free, --json: fails" 1 "$MR_RC"
assert_match "free, --json: reason" '*"released":false,"reason":"free"*' "$MR_OUT"
assert_eq "free: the word untouched" 00000100 "$(word)"
echo 2 >/sys/module/hp_spinoops/parameters/word
mr locks release --json hp_spinoops_lock
assert_eq "not a lock: refused" 3 "$MR_RC"
assert_match "not a lock: reason" '*"released":false,"reason":"not-a-lock"*' "$MR_OUT"
assert_eq "not a lock: the word untouched" 00000002 "$(word)"
no_release_yet "free, not a lock"
# Held again as its dead owner left it: only the word had stopped it.
echo 1 >/sys/module/hp_spinoops/parameters/word
mr locks release --dry-run hp_spinoops_lock
assert_eq "held again: a dry run would release it" 0 "$MR_RC"
assert_match "held again: says so" "would release hp_spinoops_lock \[hp_spinoops\] held by dead pid *" "$MR_OUT"
assert_eq "dry run: the word untouched" 00000001 "$(word)"
echo 0 >/sys/module/hp_spinoops/parameters/word
assert_cmd "rmmod hp_spinoops" rmmod hp_spinoops
assert_cmd "its exit took the lock" sh -c "dmesg | grep -q 'hp_spinoops: exit done'"

# exiting
load_patient hp_openfd exit_hold_ms=20000
assert_eq "insmod hp_openfd exit_hold_ms=20000" 0 "$?"
locked() { cat /sys/module/hp_openfd/parameters/locked; }
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 600 </dev/hp_openfd &
holder=$!
opened() { dmesg | grep -q "hp_openfd: opened by [^ ]*\[$holder\]"; }
assert_cmd "exiting: sleep opened the device" wait_until 5 opened
kill -9 "$holder"
holding() { dmesg | grep -q "hp_openfd: exiting sleep\[$holder\] holds hp_openfd_lock"; }
assert_cmd "exiting: its release took the lock" wait_until 5 holding
assert_eq "exiting: the word held" 1 "$(locked)"
mr locks release hp_openfd_lock
assert_eq "exiting: refused" 3 "$MR_RC"
assert_match "exiting: says why" \
	"*not released: hp_openfd_lock \[hp_openfd\] held by exiting pid $holder (sleep), taken at hp_openfd_*+0x*: its owner is exiting but still runs, and may still release it*" \
	"$MR_ERR"
mr locks release --json hp_openfd_lock
assert_eq "exiting, --json: refused" 3 "$MR_RC"
assert_match "exiting, --json: reason" \
	"*\"owner\":{\"pid\":$holder,\"comm\":\"sleep\",*\"released\":false,\"reason\":\"exiting\"*" \
	"$MR_OUT"
id=$(printf '%s\n' "$MR_OUT" | sed -n 's/^{"lock":"\(0x[0-9a-f]*\)".*/\1/p')
assert_match "exiting: its id" "0x?*" "$id"
assert_eq "exiting: the word still held" 1 "$(locked)"
no_release_yet exiting
own_release() { dmesg | grep -q "hp_openfd: exiting sleep\[$holder\] released hp_openfd_lock"; }
assert_cmd "exiting: its owner released it" wait_until 30 own_release
assert_eq "exiting: the word free" 0 "$(locked)"

# recent
echo 0 >/sys/module/hp_openfd/parameters/exit_hold_ms
echo 1 >/sys/module/hp_openfd/parameters/exit_leave
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 600 </dev/hp_openfd &
holder=$!
assert_cmd "recent: sleep opened the device" wait_until 5 opened
mr-lockrelease "$id" 30 >/tmp/lr.out &
watcher=$!
# Before the holder dies the helper answers not-held, or uncertain while
# the exiting phase's release above is still the newest word about it.
asking() { grep -Eq '^reason=(not-held result=ENOENT|uncertain result=EAGAIN)' /tmp/lr.out; }
assert_cmd "recent: mr-lockrelease asks" wait_until 5 asking
kill -9 "$holder"
wait "$watcher"
assert_eq "recent: mr-lockrelease saw ok" 0 "$?"
sed 's/^/  mr-lockrelease: /' /tmp/lr.out
# What came after the owner died: recent, under a second; then ok.
recent=$(sed -n '/^reason=recent /p' /tmp/lr.out | head -n 1)
assert_match "recent: refused while recent" \
	"reason=recent result=EAGAIN held_ms=* pid=$holder" "$recent"
ms=$(printf '%s\n' "$recent" | sed -n 's/.*held_ms=\([0-9]*\).*/\1/p')
assert_cmd "recent: held under a second then ($ms ms)" test "${ms:-1000}" -lt 1000
last=$(tail -n 1 /tmp/lr.out)
assert_match "recent: then ok" "reason=ok result=ok held_ms=* pid=$holder" "$last"
ms=$(printf '%s\n' "$last" | sed -n 's/.*held_ms=\([0-9]*\).*/\1/p')
assert_cmd "recent: ok from a second on ($ms ms)" test "${ms:-0}" -ge 1000
assert_eq "recent: only recent between death and ok" "" \
	"$(sed -n '/^reason=recent /,$p' /tmp/lr.out | grep -v '^reason=recent ' | grep -v '^reason=ok ')"
assert_eq "recent: the word still held" 1 "$(locked)"
no_release_yet recent
mr locks release hp_openfd_lock
assert_eq "recent, later: released" 0 "$MR_RC"
assert_match "recent, later: says so" \
	"released hp_openfd_lock \[hp_openfd\] held by dead pid $holder, taken at hp_openfd_*+0x*; kernel tainted (R)" \
	"$MR_OUT"
assert_eq "recent, later: the word free" 0 "$(locked)"
assert_eq "recent, later: tainted R" 1 "$(taint_forced_rmmod)"
assert_cmd "recent, later: the helper logged it" \
	sh -c "dmesg | grep -q 'modrescue: released hp_openfd_lock \[hp_openfd\] held by dead pid $holder'"
assert_cmd "rmmod hp_openfd" rmmod hp_openfd
