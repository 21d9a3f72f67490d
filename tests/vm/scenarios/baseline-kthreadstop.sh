# baseline-kthreadstop: hp_kthreadstop's exit calls kthread_stop() on a
# thread that returned long ago and whose task_struct is freed (seed 003).
# The use-after-free leaves the module GOING, and either oopses rmmod or
# hangs it. Before an oops (a NULL kthread pointer: free_task() cleared
# worker_private) the kernel WARNs once or twice, depending on what became
# of the freed task_struct: "refcount_t: addition on 0" if it is still
# free, to_kthread()'s !PF_KTHREAD warning if a user process reused it,
# both if a process reused it and exited again.
# Why both outcomes stay, each checked by its own effects: the use-after-
# free reads a task_struct the slab allocator has already handed back.
# Whether it is still free, or now a shell command's task (every command
# the guest runs between the reap and rmmod forks one, from the same
# cache, last freed first), decides whether kthread_stop() finds a NULL
# kthread pointer (oops) or a live-looking one whose "exited" completion
# never comes (D state). The guest cannot run rmmod without forking, nor
# keep the kernel from creating tasks meanwhile; poisoning the cache
# (slub_debug) still leaves reuse possible. The kernel decides, not modrescue: this is
# the baseline's record of what the kernel does, and `rescue-kthreadstop`
# checks modrescue's handling of each outcome.
p=hp_kthreadstop
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"
assert_cmd "the thread was reaped before init returned" \
	sh -c 'dmesg | grep -q "hp_kthreadstop: thread [0-9]* has exited and been reaped"'

# Which of the two it is depends on what became of the freed memory: it
# oopses (after one or two WARNINGs), or it hangs silently in the
# wait_for_completion() on the freed kthread's "exited" completion.
expect oops 0 1
expect warning 0 2
try_rmmod $p
# Rarely the freed memory still reads as a stopped kthread and rmmod
# finishes, the use-after-free unnoticed: load it and try again, twice.
# (A healthy patient finishes every time, and fails below.)
for attempt in 2 3; do
	[ "$RMMOD_OUTCOME" = unloaded ] || break
	note "rmmod finished, the use-after-free unnoticed: attempt $attempt"
	load_patient $p healthy="${HP_HEALTHY:-0}"
	try_rmmod $p
done
expect_done
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_oneof "rmmod $p" "$RMMOD_PLAIN" "killed (oops)" "hangs (D state)"
assert_eq "$p state" going "$(mod_state $p)"
if [ "$RMMOD_PLAIN" = "killed (oops)" ]; then
	assert_cmd "dmesg shows the oops in kthread_stop" \
		sh -c 'dmesg | grep -q "RIP: .*kthread_stop"'
else
	assert_match "rmmod waits in kthread_stop" "*kthread_stop*" \
		"$(cat /proc/$RMMOD_PID/stack)"
fi
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
baseline $p unloaded quarantined
