# lockwatch-why: with lockwatch on, `why` and `status` name the tracked
# lock a task spins (or, on PREEMPT_RT, sleeps) on, its owner and the
# owner's acquire site; with it off they say nothing about locks.
#  (1) hp_spinlong's kthread, alive, holds its lock for seconds while
#      readers of its wait_ms parameter wait on it: why names the lock, the
#      live owner and hp_spinlong_thread; status (text and --json) carry it.
#      Spinning, the holder and the waiter each own a CPU, so this needs a
#      third one for the CLI; on 2 vCPUs it is skipped with a note.
#  (2) hp_spinoops' kthread oopses holding its lock (lockwatch saw it
#      taken) and rmmod spins on it in exit: why names the lock, the owner
#      as dead and oopsed (its pid and comm from the kernel log's oops) and
#      its acquire site; status --json carries it under the rmmod task.
# The spinning rmmod owns a vCPU for good, so (2) comes last and is quick;
# the soft lockup and RCU stall detectors may still fire before poweroff.
# Where lockwatch refuses to arm (PREEMPT_RT, for now), the scenario says
# so and stops.
# timeout: 300
# accel: tcg,thread=single
# smp: 4
# shellcheck source=tests/vm/scenarios/status-basics.sh
STATUS_LIB=1 . /lab/scenarios/status-basics.sh

case "$(uname -r)" in
*-rt-*) rt=1 verb="sleeps on" ;;
*) rt=0 verb="spins on" ;;
esac

# Off: no lock keys, no lock lines.
load_patient hp_spinlong hold_ms=200
assert_eq "insmod hp_spinlong" 0 "$?"
st hp_spinlong
assert_eq "off: status exit" 0 "$ST_RC"
printf '%s\n' "$ST" >/tmp/st.json
assert_cmd "off: no lock keys in status --json" \
	sh -c "! grep -q -e waits_for -e lock_waits /tmp/st.json"
mr why hp_spinlong
assert_cmd "off: why says nothing of locks" \
	sh -c "! grep -q -e ' spins on ' -e ' sleeps on ' /tmp/mr.out"
assert_cmd "rmmod hp_spinlong" rmmod hp_spinlong

mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"

# (1) A live owner: the module's kthread holds its lock, readers wait.
if [ "$(nproc)" -ge 3 ] || [ "$rt" = 1 ]; then
	load_patient hp_spinlong hold_ms=4000
	assert_eq "insmod hp_spinlong (4 s holds)" 0 "$?"
	(while :; do
		cat /sys/module/hp_spinlong/parameters/wait_ms >/dev/null
	done) &
	readers=$!
	why_text="*pid * (cat) $verb hp_spinlong_lock \[hp_spinlong\], held * by pid * (hp_spinlong), taken at hp_spinlong_thread+0x*\[hp_spinlong\]*"
	names_live() {
		modrescue why hp_spinlong >/tmp/why.out 2>&1
		# shellcheck disable=SC2254 # the expected text is a glob
		case "$(cat /tmp/why.out)" in
		$why_text) return 0 ;;
		esac
		return 1
	}
	assert_cmd "live owner: why names the lock, owner and site" \
		wait_until 40 names_live
	sed 's/^/  | /' /tmp/why.out
	st_live() {
		st hp_spinlong
		case "$ST" in
		*'"lock_waits":[{"waiter":{"pid":'*'"comm":"cat",'*'"symbol":"hp_spinlong_lock [hp_spinlong]"'*'"held":true,"owner":{"pid":'*'"comm":"hp_spinlong",'*'"alive":true,"oopsed":false,"named_by":"lockwatch"},"acquired_at":"hp_spinlong_thread+0x'*) return 0 ;;
		esac
		return 1
	}
	assert_cmd "live owner: status --json carries it" wait_until 40 st_live
	status_line() {
		modrescue status hp_spinlong >/tmp/st.out 2>&1
		grep -q "^hp_spinlong: pid [0-9]* (cat) $verb hp_spinlong_lock \[hp_spinlong\], held .* by pid [0-9]* (hp_spinlong), taken at hp_spinlong_thread+0x" /tmp/st.out
	}
	assert_cmd "live owner: status says it in one line" \
		wait_until 40 status_line
	cat /tmp/st.out
	kill "$readers"
	wait "$readers" 2>/dev/null
	# A last reader may still wait out a hold.
	rm_spinlong() { rmmod hp_spinlong 2>/dev/null; }
	assert_cmd "rmmod hp_spinlong" wait_until 30 rm_spinlong
else
	note "case (1) skipped: $(nproc) vCPUs, and a spinning holder and waiter need one each plus one for the CLI"
fi

# (2) A dead owner: the kthread oopsed with the lock, rmmod waits in exit.
expect oops 1
expect softlockup 0 1
expect rcustall 0 1
load_patient hp_spinoops
assert_eq "insmod hp_spinoops" 0 "$?"
assert_cmd "the kthread oopsed with the lock held" wait_until 10 oopsed_in hp_spinoops_thread
# Pinned to the last CPU: spinning on CPU 0, the reboot CPU, it would block
# poweroff. taskset execs rmmod, so $! is rmmod.
taskset "$(printf %x $((1 << ($(nproc) - 1))))" "$MR_KMOD/rmmod" hp_spinoops \
	2>/dev/null &
spinner=$!
going() { [ "$(mod_state hp_spinoops)" = going ]; }
wait_until 5 going
waiting() {
	modrescue locks --json 2>/dev/null | grep -q "\"pid\":$spinner,"
}
wait_until 5 waiting
why_has hp_spinoops "*pid $spinner (rmmod) $verb hp_spinoops_lock \[hp_spinoops\], held * by pid * (hp_spinoops, dead: oopsed), taken at hp_spinoops_thread+0x*\[hp_spinoops\]*"
st hp_spinoops
assert_eq "status exit" 0 "$ST_RC"
assert_match "status --json: the lock under the rmmod task" \
	'*"comm":"rmmod","op":"unload",*"waits_for":\[{"lock":"0x*","symbol":"hp_spinoops_lock \[hp_spinoops\]",*"held":true,"owner":{"pid":*,"comm":"hp_spinoops",*"context":"task","alive":false,"oopsed":true,"named_by":"kernel log"},"acquired_at":"hp_spinoops_thread+0x*"held_ns":*' \
	"$ST"
mr status hp_spinoops
assert_match "status: one line names it" \
	"*hp_spinoops: pid $spinner (rmmod) $verb hp_spinoops_lock \[hp_spinoops\], held * by pid * (hp_spinoops, dead: oopsed), taken at hp_spinoops_thread+0x*" \
	"$MR_OUT"
