# Lockwatch: who holds which spinlock. Off, `locks` says so; on, a kthread
# holding a static raw spinlock (hp_lockhold) is named with its symbol, its
# owner, its acquire site and a growing hold time, and is gone once the
# lock is; toggled on and off under load, the kernel stays clean and the
# helper goes away. A kernel that inlines _raw_spin_unlock (PREEMPT_RT
# here) refuses to arm, naming it.
# timeout: 240
# accel: tcg,thread=single
mr locks
assert_eq "off: locks fails" 1 "$MR_RC"
assert_match "off: says how to turn it on" "*lockwatch is off: run modrescue lockwatch on*" "$MR_ERR"

# PREEMPT_RT builds without CONFIG_UNINLINE_SPIN_UNLOCK.
if uname -v | grep -q PREEMPT_RT; then
	mr lockwatch on
	assert_eq "inlined unlock: refused" 1 "$MR_RC"
	assert_match "inlined unlock: named" "*inlines _raw_spin_unlock*nothing was hooked*" "$MR_ERR"
	assert_cmd "inlined unlock: helper not left loaded" sh -c "! test -d /sys/module/modrescue"
	exit 0
fi

mr lockwatch on
assert_eq "on" 0 "$MR_RC"
assert_match "on: says so" "lockwatch: on since *, 10 entry points hooked*armed*" "$MR_OUT"
assert_cmd "on: the helper stays loaded" test -d /sys/module/modrescue
assert_eq "on: the helper cannot be unloaded while armed" 1 "$(mod_refcnt modrescue)"
mr lockwatch status --json
assert_match "status --json" '*"on":true*"hooks":10*' "$MR_OUT"

load_patient hp_lockhold hold_ms=3000 pause_ms=300
# held_ns of hp_lockhold_lock in the last `locks --json`, or nothing.
held_ns() {
	modrescue locks --all --json >/tmp/locks.json
	tr '{' '\n' </tmp/locks.json | grep -A1 '"symbol":"hp_lockhold_lock ' |
		sed -n 's/.*"held_ns":\([0-9]*\).*/\1/p' | head -n 1
}
lock_seen() { [ -n "$(held_ns)" ]; }
assert_cmd "the held lock is listed" wait_until 20 lock_seen
cat /tmp/locks.json
assert_match "symbol" '*"symbol":"hp_lockhold_lock \[hp_lockhold\]"*' "$(cat /tmp/locks.json)"
assert_cmd "an id, not zero" sh -c "! grep -q '\"lock\":\"0x0\"' /tmp/locks.json"
assert_match "owner" '*"comm":"hp_lockhold"*"context":"task"*"alive":true*' "$(cat /tmp/locks.json)"
assert_match "acquire site" '*"acquired_at":"hp_lockhold_thread+0x*\[hp_lockhold\]"*' "$(cat /tmp/locks.json)"
# The same hold, looked at twice: its time grows.
grows() {
	a=$(held_ns)
	sleep 0.3
	b=$(held_ns)
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]
}
assert_cmd "held_ns grows" wait_until 20 grows
mr locks
assert_eq "text: exit" 0 "$MR_RC"
assert_match "text: names it" "*hp_lockhold_lock*hp_lockhold*" "$MR_OUT"
assert_cmd "rmmod hp_lockhold" rmmod hp_lockhold
modrescue locks --all --json >/tmp/locks.json
assert_cmd "gone with its lock" sh -c "! grep -q hp_lockhold_lock /tmp/locks.json"

# On and off, 20 times, under a lock-heavy load.
(while :; do find /sys /proc/sys >/dev/null 2>&1; done) &
load=$!
i=0
while [ $i -lt 20 ]; do
	t0=$(date +%s)
	modrescue lockwatch off >/dev/null || fail "off ($i)"
	modrescue lockwatch on >/dev/null || fail "on ($i)"
	echo "toggle $i: $(($(date +%s) - t0)) s"
	i=$((i + 1))
done
kill "$load"
wait "$load" 2>/dev/null
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
assert_match "off: disarmed and unloaded" "*disarmed, unloaded the helper*" "$MR_OUT"
assert_cmd "off: helper gone" sh -c "! test -d /sys/module/modrescue"
mr locks
assert_eq "off again: locks fails" 1 "$MR_RC"
