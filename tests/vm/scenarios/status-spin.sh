# status-spin: hp_spinoops' kthread oopsed holding a spinlock, and rmmod
# spins on it in exit (R state; D on PREEMPT_RT). The spinning rmmod owns a
# vCPU with preemption off, so diagnose at once: the soft lockup detector
# fires after 20 s. modrescue finds it by its command line, since the
# kernel shows neither the stack nor the syscall of a task on a CPU.
# shellcheck source=tests/vm/scenarios/status-basics.sh
STATUS_LIB=1 . /lab/scenarios/status-basics.sh

expect oops 1
# A capture run (tests/vm/capture) prints for longer than the detectors wait.
# shellcheck disable=SC2154 # $scenario is set by /init
case "$scenario" in
capture-*)
	expect softlockup 0 1
	expect rcustall 0 1
	;;
esac
load_patient hp_spinoops
wait_until 5 oopsed_in hp_spinoops_thread
# Pinned to the last CPU: spinning on CPU 0, the reboot CPU, it would block
# poweroff. taskset execs rmmod, so $! is rmmod.
taskset "$(printf %x $((1 << ($(nproc) - 1))))" "$MR_KMOD/rmmod" hp_spinoops \
	2>/dev/null &
spinner=$!
going() { [ "$(mod_state hp_spinoops)" = going ]; }
wait_until 5 going
for f in syscall wchan stack; do
	echo "rmmod's $f: $(cat /proc/$spinner/$f | tr '\n' '|')"
done
snap_modules
check hp_spinoops blocked going -1 "" true
assert_cmd "hp_spinoops: the spinning rmmod, op unload" \
	jtask_any rmmod unload
why_has hp_spinoops "*rmmod (pid $spinner) has * for * s in *"
same_modules
st_capture spin "$spinner"
