# lockrelease-refuse: `modrescue locks release` refuses a lock whose owner
# is alive, naming the owner, and leaves it alone: hp_lockhold's kthread
# (kind=spin) holds its spinlock_t for 8 s at a time; the refusal (exit 3,
# text and --json) names pid and comm; the kthread goes on taking and
# releasing it, the kernel is not tainted R, and rmmod works. A lock id
# nothing holds fails (exit 1); lockwatch off, it says so (exit 1); bad
# usage is exit 2. On PREEMPT_RT the lock is an rtmutex, and the live
# owner is still what is named.
# timeout: 300
# accel: tcg,thread=single
mr locks release hp_lockhold_spin
assert_eq "off: fails" 1 "$MR_RC"
assert_match "off: says so" "*lockwatch is off*" "$MR_ERR"
mr locks release
assert_eq "no LOCK: usage" 2 "$MR_RC"

mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
load_patient hp_lockhold kind=spin hold_ms=8000 pause_ms=20
assert_eq "insmod hp_lockhold" 0 "$?"
pid=$(grep -lx hp_lockhold /proc/[0-9]*/comm | cut -d/ -f3)
assert_match "its kthread" "[1-9]*" "$pid"
held() {
	modrescue locks --json >/tmp/locks.json 2>/dev/null
	grep -q '"symbol":"hp_lockhold_spin \[hp_lockhold\]"' /tmp/locks.json
}
assert_cmd "the lock is seen held" wait_until 20 held
mr locks release hp_lockhold_spin
assert_eq "live owner: refused" 3 "$MR_RC"
assert_match "live owner: named" \
	"*not released: hp_lockhold_spin \[hp_lockhold\] held by live pid $pid (hp_lockhold), taken at hp_lockhold_*+0x*: its owner is alive*" \
	"$MR_ERR"
assert_cmd "held again" wait_until 20 held
mr locks release --json hp_lockhold_spin
assert_eq "live owner, --json: refused" 3 "$MR_RC"
assert_match "live owner, --json" \
	"*\"owner\":{\"pid\":$pid,\"comm\":\"hp_lockhold\",\"alive\":true,*\"released\":false,\"reason\":\"alive\"*" \
	"$MR_OUT"
mr locks release 0x1000
assert_eq "an id nothing holds" 1 "$MR_RC"
assert_match "an id nothing holds: says so" "*not held*" "$MR_ERR"
assert_eq "no R taint" 0 "$(taint_forced_rmmod)"
assert_cmd "nothing released" sh -c "! dmesg | grep -q 'modrescue: released'"
# Untouched: its owner still takes and releases it, and exits cleanly.
sleep 9
assert_cmd "still taken and released" wait_until 20 held
assert_cmd "rmmod hp_lockhold" rmmod hp_lockhold
assert_cmd "its exit completed" sh -c "dmesg | grep -q 'hp_lockhold: exit done'"
