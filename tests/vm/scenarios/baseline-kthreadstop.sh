# baseline-kthreadstop: hp_kthreadstop's exit calls kthread_stop() on a
# thread that returned long ago and whose task_struct is freed (seed 003).
# The use-after-free oopses rmmod and leaves the module GOING. Before the
# oops (a NULL kthread pointer: free_task() cleared worker_private) the
# kernel WARNs once or twice, depending on what became of the freed
# task_struct: "refcount_t: addition on 0" if it is still free, to_kthread()'s
# !PF_KTHREAD warning if a user process reused it, both if a process reused
# it and exited again.
p=hp_kthreadstop
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"
assert_cmd "the thread was reaped before init returned" \
	sh -c 'dmesg | grep -q "hp_kthreadstop: thread [0-9]* has exited and been reaped"'

expect oops 1
expect warning 1 2
try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" "killed (oops)" "$RMMOD_PLAIN"
assert_eq "$p state" going "$(mod_state $p)"
assert_cmd "dmesg shows the oops in kthread_stop" sh -c 'dmesg | grep -q "RIP: .*kthread_stop"'
if is_absent $p; then
	RMMOD_FORCED="not needed"
else
	try_rmmod $p -f
	RMMOD_FORCED=$RMMOD_OUTCOME
fi
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
baseline $p
