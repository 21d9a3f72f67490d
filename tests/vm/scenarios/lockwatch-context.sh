# Lockwatch and interrupt context: hp_lockctx, on CPU 1, takes a spinlock_t
# and then a raw spinlock in a pinned timer_list callback (softirq) and
# another raw spinlock in a pinned HRTIMER_MODE_REL_PINNED_HARD hrtimer
# (hardirq), each held 5 ms every 20 ms. Each lock is only ever taken in
# that context, over whatever task the interrupt hit, so lockwatch must
# report the softirq ones with "context":"softirq" and the hardirq one with
# "context":"hardirq", on CPU 1, and never as "task" (the interrupted
# task's). `locks --all --json` runs pinned to CPU 0 (a snapshot on CPU 1
# could never run while CPU 1 holds a lock in an interrupt), polled until
# each lock has been seen; every sighting is checked.
# On PREEMPT_RT the timer_list callback runs in the ktimers thread, still
# serving softirq, and the spinlock_t is an rtmutex (rt_spin_lock): it must
# be seen in softirq context likewise. Raw spinlocks are not tracked there
# (the kernel inlines _raw_spin_unlock), and only raw ones can be taken in
# hardirq: both raw locks must then never be listed, and the hardirq
# classification cannot be checked on RT.
# timeout: 180
# accel: tcg,thread=single

mr lockwatch on
assert_eq "on" 0 "$MR_RC"
load_patient hp_lockctx cpu=1
assert_eq "insmod hp_lockctx" 0 "$?"

seen_soft=0 seen_softraw=0 seen_hard=0 bad=0 samples=0
# On PREEMPT_RT a raw lock is never expected: "untracked" matches no context.
raw_soft=softirq raw_hard=hardirq want_raw=3
if uname -v | grep -q PREEMPT_RT; then
	raw_soft=untracked raw_hard=untracked want_raw=0
fi
# check SYMBOL CONTEXT VAR: every entry of SYMBOL in the last snapshot is in
# CONTEXT on CPU 1; VAR counts the sightings.
check() {
	for i in $(locks_of "$1"); do
		ctx=$(jget "locks.$i.owner.context")
		cpu=$(jget "locks.$i.owner.cpu")
		if [ "$ctx" = "$2" ] && [ "$cpu" = 1 ]; then
			eval "$3=\$((\$$3 + 1))"
		else
			fail "$1 reported in context '$ctx' on CPU '$cpu', not $2 on CPU 1"
			bad=$((bad + 1))
			cat /tmp/l.json
		fi
	done
}
sample() {
	samples=$((samples + 1))
	taskset 1 modrescue locks --all --json >/tmp/l.json 2>/tmp/l.err &&
		mr-jflat </tmp/l.json >/tmp/l.flat || return 1
	check "hp_lockctx_soft_lock [hp_lockctx]" softirq seen_soft
	check "hp_lockctx_softraw_lock [hp_lockctx]" $raw_soft seen_softraw
	check "hp_lockctx_hard_lock [hp_lockctx]" $raw_hard seen_hard
	[ "$bad" -lt 5 ] || return 0
	# Each seen a few times, for the "never as task" part to mean something.
	[ "$seen_soft" -ge 3 ] && [ "$seen_softraw" -ge $want_raw ] &&
		[ "$seen_hard" -ge $want_raw ]
}
assert_cmd "each lock seen in its context" for_up_to 90 sample
echo "samples=$samples softirq spinlock_t=$seen_soft softirq raw=$seen_softraw hardirq raw=$seen_hard"
assert_eq "never in another context" 0 "$bad"
assert_cmd "rmmod hp_lockctx" rmmod hp_lockctx
locks_json /tmp/l.json
assert_cmd "gone with the module" sh -c "! grep -q hp_lockctx /tmp/l.json"
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
