# Lockwatch and trylocks: a trylock that fails acquires nothing and never
# waits, so it must never be recorded; one that succeeds holds the lock
# like any other. hp_trylock/h (CPU 0) holds a raw spinlock, then a
# spinlock_t, 1.5 s each by the clock, 1.5 s apart; meanwhile hp_trylock/t
# (CPU 1) calls raw_spin_trylock(), spin_trylock() and spin_trylock_bh()
# on the held one from hp_trylock_probe(), which fail (counted), and in
# each pause takes a free one with a trylock from hp_trylock_take() and
# keeps it 0.7 s. Polling `locks --all --json`: the holder must be seen as
# each lock's owner, hp_trylock/t must never be an owner from
# hp_trylock_probe (unless the patient counted a probe that won a race
# with the release) nor anyone's waiter, and it must be seen owning each
# lock from hp_trylock_take: the successful trylock is recorded.
# On PREEMPT_RT the spinlock_t is an rtmutex (rt_spin_trylock,
# rt_spin_trylock_bh): the same is expected of it; raw spinlocks are not
# tracked there (the kernel inlines _raw_spin_unlock), so the raw one must
# never be listed at all.
# timeout: 240
# accel: tcg,thread=single

mr lockwatch on
assert_eq "on" 0 "$MR_RC"
load_patient hp_trylock
assert_eq "insmod hp_trylock" 0 "$?"
p=/sys/module/hp_trylock/parameters

h_raw=0 h_spin=0 t_raw=0 t_spin=0 probe_seen=0 bad=0 samples=0
rt=0
uname -v | grep -q PREEMPT_RT && rt=1
# check SYMBOL KIND: judge every entry of SYMBOL in the last snapshot.
check() {
	for i in $(locks_of "$1"); do
		if [ "$rt" = 1 ] && [ "$2" = raw ]; then
			fail "$1: listed on PREEMPT_RT, where raw spinlocks are not tracked"
			bad=$((bad + 1))
			continue
		fi
		comm=$(jget "locks.$i.owner.comm")
		site=$(jget "locks.$i.acquired_at")
		case "$comm|$site" in
		"hp_trylock/h|"*) eval "h_$2=\$((h_$2 + 1))" ;;
		"hp_trylock/t|hp_trylock_take"*) eval "t_$2=\$((t_$2 + 1))" ;;
		"hp_trylock/t|hp_trylock_probe"*)
			probe_seen=$((probe_seen + 1))
			echo "hp_trylock/t seen owning $1 from $site"
			cat /tmp/l.json
			;;
		*)
			fail "$1: unexpected owner '$comm' from '$site'"
			bad=$((bad + 1))
			;;
		esac
		w=0
		while [ -n "$(jget "locks.$i.waiters.$w.pid")" ]; do
			if [ "$(jget "locks.$i.waiters.$w.comm")" = hp_trylock/t ]; then
				fail "$1: hp_trylock/t listed as a waiter"
				bad=$((bad + 1))
				cat /tmp/l.json
			fi
			w=$((w + 1))
		done
	done
}
sample() {
	samples=$((samples + 1))
	snap || return 1
	check "hp_trylock_raw [hp_trylock]" raw
	check "hp_trylock_spin [hp_trylock]" spin
	[ "$bad" -lt 5 ] && [ "$probe_seen" -lt 5 ] || return 0
	# Each hold seen a few times while the probes fail, each take once.
	[ "$h_spin" -ge 3 ] && [ "$t_spin" -ge 1 ] &&
		{ [ "$rt" = 1 ] || { [ "$h_raw" -ge 3 ] && [ "$t_raw" -ge 1 ]; }; }
}
assert_cmd "holds and takes seen" for_up_to 150 sample
fails=$(cat $p/fails)
wins=$(cat $p/probe_wins)
takes=$(cat $p/takes)
echo "samples=$samples holder: raw=$h_raw spin=$h_spin; trylock taken: raw=$t_raw spin=$t_spin; probe sightings=$probe_seen; patient: fails=$fails probe_wins=$wins takes=$takes"
assert_eq "no unexpected owner or waiter" 0 "$bad"
assert_cmd "the probes failed ($fails)" test "$fails" -gt 0
assert_cmd "the takes succeeded ($takes)" test "$takes" -gt 0
assert_cmd "a failed trylock never recorded (seen $probe_seen, won $wins)" \
	test "$probe_seen" -le "$wins"
assert_cmd "rmmod hp_trylock" rmmod hp_trylock
locks_json /tmp/l.json
assert_cmd "gone with the module" sh -c "! grep -q hp_trylock /tmp/l.json"
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
