# Lockwatch on a live AB-BA deadlock (hp_abba deadlock=1, 4 vCPUs): two
# kthreads bound to CPUs 2 and 3 each take one spinlock, then spin_lock()
# (not trylock) the other's, and deadlock. Lockwatch is armed before the
# patient loads, so it sees every step. While both CPUs spin with
# preemption off, `locks --json` must list both locks with the right owner
# (comm, pid, CPU), each thread as the other lock's waiter, and exactly one
# cycle naming both with the locks each holds and waits for; the text
# output prints that cycle under a line saying deadlock. Then the patient's
# breaker (a work item on CPU 0) releases A on hp_abba/0's behalf, well
# before the 20 s soft-lockup and 21 s RCU-stall limits (break_ms=15000 is
# the safety net; the scenario asks for it as soon as it has looked): both
# threads finish, the locks and the cycle are gone, the module unloads.
# On PREEMPT_RT spinlock_t is an rtmutex and the two threads sleep instead:
# the same listing is expected, but no breaker can release an rtmutex it
# does not own, so the deadlock and the patient stay; the VM ends long
# before the 120 s hung-task timeout.
# timeout: 240
# accel: tcg,thread=single
# smp: 4

# kthread_pid COMM: the pid of the task named COMM.
kthread_pid() {
	for d in /proc/[0-9]*; do
		if [ "$(cat "$d/comm" 2>/dev/null)" = "$1" ]; then
			echo "${d#/proc/}"
			return
		fi
	done
}
rt=0
uname -v | grep -q PREEMPT_RT && rt=1

mr lockwatch on
assert_eq "on" 0 "$MR_RC"
if [ "$rt" = 1 ]; then
	load_patient hp_abba deadlock=1
else
	load_patient hp_abba deadlock=1 break_ms=15000
fi
assert_eq "insmod hp_abba deadlock=1" 0 "$?"
t0=$(date +%s)
pid0=$(kthread_pid hp_abba/0)
pid1=$(kthread_pid hp_abba/1)
echo "hp_abba/0=$pid0 hp_abba/1=$pid1"
A="hp_lock_a [hp_abba]"
B="hp_lock_b [hp_abba]"
# Both locks held, in one snapshot.
both_held() {
	snap || return 1
	a=$(locks_of "$A")
	b=$(locks_of "$B")
	[ -n "$a" ] && [ -n "$b" ]
}
# The whole deadlock in one snapshot: both locks held, each waited for,
# and a cycle.
deadlocked() {
	both_held &&
		[ -n "$(jget "locks.$a.waiters.0.pid")" ] &&
		[ -n "$(jget "locks.$b.waiters.0.pid")" ] &&
		[ -n "$(jget cycles.0.0.pid)" ]
}
# Both bounded well inside break_ms: what follows reads the last snapshot.
assert_cmd "both locks are seen held" for_up_to 6 both_held
assert_cmd "the deadlock is seen" for_up_to 4 deadlocked
cat /tmp/l.json
echo "seen after $(($(date +%s) - t0)) s"
assert_eq "lockwatch on" true "$(jget lockwatch.on)"
assert_eq "one entry for A" 1 "$(locks_of "$A" | wc -l)"
assert_eq "one entry for B" 1 "$(locks_of "$B" | wc -l)"
# lock_is IDX OWNER_COMM OWNER_PID OWNER_CPU WAITER_COMM WAITER_PID WAITER_CPU
lock_is() {
	i=$1
	assert_eq "$2 owns it: pid" "$3" "$(jget "locks.$i.owner.pid")"
	assert_eq "$2 owns it: comm" "$2" "$(jget "locks.$i.owner.comm")"
	assert_eq "$2 owns it: cpu" "$4" "$(jget "locks.$i.owner.cpu")"
	assert_eq "$2 owns it: context" task "$(jget "locks.$i.owner.context")"
	assert_eq "$2 owns it: alive" true "$(jget "locks.$i.owner.alive")"
	assert_match "$2 owns it: acquired in the thread" "hp_abba_deadlock_thread+0x*\[hp_abba\]" \
		"$(jget "locks.$i.acquired_at")"
	assert_cmd "$2 owns it: held_ns > 0" test "$(jget "locks.$i.held_ns")" -gt 0
	assert_eq "one waiter" "" "$(jget "locks.$i.waiters.1.pid")"
	assert_eq "$5 waits: pid" "$6" "$(jget "locks.$i.waiters.0.pid")"
	assert_eq "$5 waits: comm" "$5" "$(jget "locks.$i.waiters.0.comm")"
	assert_eq "$5 waits: cpu" "$7" "$(jget "locks.$i.waiters.0.cpu")"
	assert_cmd "$5 waits: waiting_ns > 0" test "$(jget "locks.$i.waiters.0.waiting_ns")" -gt 0
}
a=$(locks_of "$A")
b=$(locks_of "$B")
echo "A:"
lock_is "$a" hp_abba/0 "$pid0" 2 hp_abba/1 "$pid1" 3
echo "B:"
lock_is "$b" hp_abba/1 "$pid1" 3 hp_abba/0 "$pid0" 2
ida=$(jget "locks.$a.lock")
idb=$(jget "locks.$b.lock")
assert_cmd "A and B have different ids" test "$ida" != "$idb"
assert_eq "one cycle" "" "$(jget cycles.1.0.pid)"
assert_eq "of two steps" "" "$(jget cycles.0.2.pid)"
# The steps in whichever order: hp_abba/0 holds A and waits for B, and
# hp_abba/1 the other way round.
for s in 0 1; do
	case "$(jget "cycles.0.$s.pid")" in
	"$pid0") set -- hp_abba/0 "$ida" "$idb" ;;
	"$pid1") set -- hp_abba/1 "$idb" "$ida" ;;
	*) set -- "pid $(jget "cycles.0.$s.pid")" "" "" ;;
	esac
	assert_eq "cycle step $s: a deadlocked thread" "$1" "$(jget "cycles.0.$s.comm")"
	assert_eq "cycle step $s: holds" "$2" "$(jget "cycles.0.$s.holds")"
	assert_eq "cycle step $s: waits for" "$3" "$(jget "cycles.0.$s.waits_for")"
done
assert_cmd "cycle: both threads" test "$(jget cycles.0.0.pid)" != "$(jget cycles.0.1.pid)"

mr locks
assert_eq "text: exit" 0 "$MR_RC"
assert_match "text: A and its owner" "*hp_lock_a \[hp_abba\]  *$pid0 hp_abba/0 cpu2 task*" "$MR_OUT"
assert_match "text: B and its owner" "*hp_lock_b \[hp_abba\]  *$pid1 hp_abba/1 cpu3 task*" "$MR_OUT"
cyc=$(printf '%s\n' "$MR_OUT" | sed -n '/^deadlock/,$p')
assert_match "text: the cycle under a deadlock line" "deadlock: 1 cycle*cycle 1:*" "$cyc"
assert_match "text: the cycle names hp_abba/0" "*$pid0 hp_abba/0 holds*" "$cyc"
assert_match "text: the cycle names hp_abba/1" "*$pid1 hp_abba/1 holds*" "$cyc"
# All of that while the two threads were still deadlocked.
assert_eq "still deadlocked after $(($(date +%s) - t0)) s" 0 "$(cat /sys/module/hp_abba/parameters/rounds)"
if [ "$rt" = 0 ]; then
	assert_eq "hp_abba/0 spins on its CPU" R "$(task_state "$pid0")"
	assert_eq "hp_abba/1 spins on its CPU" R "$(task_state "$pid1")"
fi

if [ "$rt" = 1 ]; then
	note "PREEMPT_RT: the rtmutex deadlock cannot be broken; hp_abba stays"
	exit 0
fi
echo 1 >/sys/module/hp_abba/parameters/unjam
finished() { [ "$(cat /sys/module/hp_abba/parameters/rounds)" = 2 ]; }
assert_cmd "broken: both threads finish" wait_until 10 finished
echo "broken after $(($(date +%s) - t0)) s"
snap
cat /tmp/l.json
assert_eq "broken: A gone" "" "$(locks_of "$A")"
assert_eq "broken: B gone" "" "$(locks_of "$B")"
assert_eq "broken: no cycle" "[]" "$(jget cycles)"
assert_cmd "rmmod hp_abba" rmmod hp_abba
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
assert_cmd "off: helper gone" sh -c "! test -d /sys/module/modrescue"
