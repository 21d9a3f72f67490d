# Lockwatch: who holds which spinlock. Off, `locks` says so; on, a kthread
# holding a static lock (hp_lockhold) is named with its symbol, its owner,
# its acquire site and a growing hold time, and is gone once the lock is:
# a spinlock_t (kind=spin) on every kernel, a raw spinlock too except on
# PREEMPT_RT. There spinlock_t is a sleeping rtmutex (rt_spin_*, 4 entry
# points hooked, marked sleeping), and raw spinlocks are not tracked (the
# kernel inlines _raw_spin_unlock): a held one is never listed. On
# PREEMPT_RT a second kthread asleep on the held spinlock_t is listed as
# its sleeping waiter, and lockwatch off waits for it to leave the hook
# before the helper goes. Toggled on and off under load, the kernel stays
# clean and the helper goes away. After many CLI calls, no lock is left
# recorded to a dead modrescue process (the helper's own lock calls).
# timeout: 300
# accel: tcg,thread=single
mr locks
assert_eq "off: locks fails" 1 "$MR_RC"
assert_match "off: says how to turn it on" "*lockwatch is off: run modrescue lockwatch on*" "$MR_ERR"

rt=
hooks=10
if uname -v | grep -q PREEMPT_RT; then
	rt=1
	hooks=4
fi

mr lockwatch on
assert_eq "on" 0 "$MR_RC"
assert_match "on: says so" "lockwatch: on since *, $hooks entry points hooked*armed*" "$MR_OUT"
assert_cmd "on: the helper stays loaded" test -d /sys/module/modrescue
assert_eq "on: the helper cannot be unloaded while armed" 1 "$(mod_refcnt modrescue)"
mr lockwatch status --json
assert_match "status --json" "*\"on\":true*\"hooks\":$hooks*" "$MR_OUT"
# What is not tracked is said, not left to be guessed.
if [ -n "$rt" ]; then
	assert_match "status --json: raw untracked" '*"untracked":"raw spinlocks (this kernel inlines _raw_spin_unlock)"*' "$MR_OUT"
	mr lockwatch status
	assert_match "status: raw untracked" "*not tracked: raw spinlocks (this kernel inlines _raw_spin_unlock)*" "$MR_OUT"
else
	assert_match "status --json: all tracked" '*"untracked":null*' "$MR_OUT"
fi

# held_ns of the lock named $sym in a fresh `locks --json`, or nothing.
held_ns() {
	modrescue locks --all --json >/tmp/locks.json
	tr '{' '\n' </tmp/locks.json | grep -A1 "\"symbol\":\"$sym " |
		sed -n 's/.*"held_ns":\([0-9]*\).*/\1/p' | head -n 1
}
lock_seen() { [ -n "$(held_ns)" ]; }
# The same hold, looked at twice: its time grows.
grows() {
	a=$(held_ns)
	sleep 0.3
	b=$(held_ns)
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]
}

# check_hold KIND SYMBOL: hp_lockhold kind=KIND holds SYMBOL, and says so.
check_hold() {
	sym=$2
	load_patient hp_lockhold kind="$1" hold_ms=3000 pause_ms=300
	assert_cmd "$1: the held lock is listed" wait_until 20 lock_seen
	cat /tmp/locks.json
	j=$(cat /tmp/locks.json)
	assert_match "$1: symbol" "*\"symbol\":\"$sym \\[hp_lockhold\\]\"*" "$j"
	assert_cmd "$1: an id, not zero" sh -c "! grep -q '\"lock\":\"0x0\"' /tmp/locks.json"
	assert_match "$1: owner" '*"comm":"hp_lockhold"*"context":"task"*"alive":true*' "$j"
	assert_match "$1: acquire site" '*"acquired_at":"hp_lockhold_*+0x*\[hp_lockhold\]"*' "$j"
	if [ -n "$rt" ] && [ "$1" = spin ]; then
		assert_match "$1: a sleeping lock" '*"held_ns":*"sleeping":true*' "$j"
	else
		assert_cmd "$1: not a sleeping lock" sh -c "! grep -q sleeping /tmp/locks.json"
	fi
	assert_cmd "$1: held_ns grows" wait_until 20 grows
	mr locks
	assert_eq "$1: text: exit" 0 "$MR_RC"
	# Held 3 s in every 3.3 s: a look in the pause sees nothing; look again.
	text_names() { modrescue locks 2>/dev/null | grep -q "$sym.*hp_lockhold"; }
	assert_cmd "$1: text: names it" wait_until 10 text_names
	assert_cmd "$1: rmmod hp_lockhold" rmmod hp_lockhold
	locks_json /tmp/locks.json
	assert_cmd "$1: gone with its lock" sh -c "! grep -q $sym /tmp/locks.json"
}

check_hold spin hp_lockhold_spin
if [ -z "$rt" ]; then
	check_hold raw hp_lockhold_lock
else
	# Not tracked, so never listed, though held 90% of the time.
	load_patient hp_lockhold kind=raw hold_ms=3000 pause_ms=300
	sym=hp_lockhold_lock
	i=0
	while [ $i -lt 8 ]; do
		locks_json /tmp/locks.json
		assert_cmd "raw on RT: not listed ($i)" sh -c "! grep -q $sym /tmp/locks.json"
		sleep 0.5
		i=$((i + 1))
	done
	assert_cmd "raw on RT: rmmod hp_lockhold" rmmod hp_lockhold

	# A task asleep on the held spinlock_t: its sleeping waiter.
	load_patient hp_lockhold kind=spin waiter=1 hold_ms=3000 pause_ms=300
	waiter_seen() {
		modrescue locks --all --json >/tmp/locks.json
		grep -q '"symbol":"hp_lockhold_spin [^}]*"comm":"hp_lockhold"' /tmp/locks.json &&
			grep -q '"waiters":\[[^]]*"comm":"hp_lockwait","cpu":[0-9]*,"waiting_ns":[0-9]*,"sleeping":true' /tmp/locks.json
	}
	assert_cmd "rt waiter: listed, asleep" wait_until 20 waiter_seen
	cat /tmp/locks.json
	wpid=$(grep -l '^hp_lockwait$' /proc/[0-9]*/comm | cut -d/ -f3)
	in_hook() { grep -q mr_lw_rt_spin_lock "/proc/$wpid/stack"; }
	assert_cmd "rt waiter: its stack shows the hook" wait_until 10 in_hook
	# Off while it sleeps inside the hook: no frame of the unloaded helper
	# stays on its stack. (Here RCU Tasks, in unhooking, already waits
	# for the busy holder to sleep, which lets the waiter out; only
	# sleepers that never wake, a deadlock, need lockwatch's own count.)
	n=0
	while [ $n -lt 2 ]; do
		wait_until 15 in_hook
		t0=$(date +%s)
		mr lockwatch off
		assert_eq "rt waiter: off ($n)" 0 "$MR_RC"
		assert_match "rt waiter: off unloads ($n)" "*disarmed, unloaded the helper*" "$MR_OUT"
		echo "off with a sleeper inside: $(($(date +%s) - t0)) s"
		cat "/proc/$wpid/stack" >/tmp/stack
		cat /tmp/stack
		assert_cmd "rt waiter: no helper frame left ($n)" sh -c "! grep -q 'mr_lw_\|modrescue\|\] 0x' /tmp/stack"
		mr lockwatch on
		assert_eq "rt waiter: on ($n)" 0 "$MR_RC"
		sleep 1
		n=$((n + 1))
	done
	assert_cmd "rt waiter: rmmod hp_lockhold" rmmod hp_lockhold
fi

# The helper's own lock calls: only its pass-throughs reach the real lock
# functions untracked, so a lock a kernel function takes and releases for
# an ioctl is never left recorded as held by the CLI, which is dead a
# moment later. After many calls, no lock is listed whose owner is dead.
i=0
while [ $i -lt 8 ]; do
	modrescue locks --all --json >/dev/null || fail "locks ($i)"
	modrescue lockwatch status --json >/dev/null || fail "lockwatch status ($i)"
	modrescue contain status >/dev/null 2>&1
	modrescue status >/dev/null 2>&1
	i=$((i + 1))
done
sleep 1
locks_json /tmp/locks.json
cat /tmp/locks.json
assert_cmd "many CLI calls: no lock left to a dead modrescue" sh -c "! grep -q '\"comm\":\"modrescue\",\"alive\":false' /tmp/locks.json"
assert_cmd "many CLI calls: no lock held by a dead owner" sh -c "! grep -q '\"alive\":false' /tmp/locks.json"

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
