# status-blocked: tasks stuck in a module's exit (completion in module data,
# on the heap, wait_event, a mutex its kthread holds) and in its init.
# status must find each stuck task with the right op and a module frame.
# shellcheck source=tests/vm/scenarios/status-basics.sh
STATUS_LIB=1 . /lab/scenarios/status-basics.sh

for p in hp_exitwait hp_heapwait hp_waitevent hp_mutexwait; do
	load_patient $p
	"$MR_KMOD/rmmod" $p 2>/dev/null &
	eval "rmmod_$p=$!"
done
load_patient_bg hp_initblock
loader=$INSMOD_PID
stuck() { for p in "$@"; do [ "$(task_state "$p")" = D ] || return 1; done; }
# shellcheck disable=SC2154 # rmmod_hp_* are set by the eval above
wait_until 10 stuck "$loader" "$rmmod_hp_exitwait" "$rmmod_hp_heapwait" \
	"$rmmod_hp_waitevent" "$rmmod_hp_mutexwait"
# A second insmod of the same module waits for the first, outside its code.
load_patient_bg hp_initblock
waiter=$INSMOD_PID
sleep 1
snap_modules

for p in hp_exitwait hp_heapwait hp_waitevent hp_mutexwait; do
	check $p blocked going -1 "" true
	assert_cmd "$p: the stuck rmmod, op unload, in its exit" \
		jtask rmmod unload $p
	pid=$(eval "echo \$rmmod_$p")
	why_has $p "*rmmod (pid $pid) has been blocked for * s in *${p}_exit \[$p\] <- *delete_module*modrescue unload would release rmmod (pid $pid)*"
done
# The kthread wakes every 100 ms; caught on a CPU, its stack is not shown
# (the kernel gives none for a running task): look again.
kthread_shown() {
	st hp_mutexwait >/dev/null
	jtask hp_mutexwait other hp_mutexwait
}
assert_cmd "hp_mutexwait: its kthread, op other" wait_until 5 kthread_shown

check hp_initblock blocked coming 1 "" true
assert_cmd "hp_initblock: the stuck insmod, op load, in its init" \
	jtask insmod load hp_initblock
why_has hp_initblock "*insmod (pid $loader) has been blocked for * s in *hp_initblock_init \[hp_initblock\] <- do_one_initcall*"
assert_match "hp_initblock: the second insmod waits outside its code" \
	"*insmod (pid $waiter) is waiting to load hp_initblock, outside its code*" "$WHY"

out=$(modrescue status)
printf '%s\n' "$out"
assert_match "status table: hp_heapwait" "*hp_heapwait *going *-1 yes *blocked *rmmod\[*\]:unload*" "$out"
same_modules
st_capture blocked
