# rescue-exit: rmmod stuck in an exit that waits on a completion, in the
# module's data (hp_exitwait) and in a kmalloc'd object (hp_heapwait).
# modrescue unload releases it: the helper completes that completion, the
# original rmmod finishes on its own, the module's exit runs to its end and
# the kernel frees the module its own way.
# The same rescue when the stuck unloader is an ia32 process
# (mr-unloader32: delete_module by its i386 number, 129, which is another
# syscall on x86-64): it is still known as the task inside delete_module.
PROBE=rescue-probe

# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
both_stuck() {
	[ "$(task_state "$rmmod_hp_exitwait")" = D ] &&
		[ "$(task_state "$rmmod_hp_heapwait")" = D ]
}

stuck_rmmod hp_exitwait
stuck_rmmod hp_heapwait
assert_cmd "both rmmods stuck" wait_until 10 both_stuck

# What the helper finds, without touching anything (dry run).
assert_cmd "helper loads" load_helper
run_probe unblock "$rmmod_hp_exitwait" hp_exitwait going dry
assert_eq "exitwait: dry run" ok "$(probe result)"
assert_eq "exitwait: in module data" module "$(probe kind)"
assert_match "exitwait: the completion" "hp_exitwait_done+0x0/* \[hp_exitwait\]" "$(probe where)"
assert_match "exitwait: waited on in its exit" "hp_exitwait_exit+* \[hp_exitwait\]" "$(probe caller)"
run_probe unblock "$rmmod_hp_heapwait" hp_heapwait going dry
assert_eq "heapwait: dry run" ok "$(probe result)"
assert_eq "heapwait: in a slab object" slab "$(probe kind)"
assert_eq "heapwait: one waiter" 1 "$(probe waiters)"
# The wrong module, or the wrong state: refused.
run_probe unblock "$rmmod_hp_exitwait" hp_heapwait going dry
assert_eq "exitwait named as heapwait's" EINVAL "$(probe result)"
assert_eq "  because the wait's caller is not hp_heapwait" 6 "$(probe reason)"
run_probe unblock "$rmmod_hp_exitwait" hp_exitwait coming dry
assert_eq "wrong expected state" ESTALE "$(probe result)"
assert_eq "dry runs changed nothing" D "$(task_state "$rmmod_hp_exitwait")"
assert_eq "not tainted by dry runs" 0 "$(taint_forced_rmmod)"
assert_cmd "helper unloads" rmmod modrescue

for p in hp_exitwait hp_heapwait; do
	pid=$(eval "echo \$rmmod_$p")
	mr unload $p
	assert_eq "$p: exit code" 0 "$MR_RC"
	assert_match "$p: released, then unloaded" "*released, then unloaded*" "$MR_OUT"
	assert_match "$p: says what it completed" "*released pid $pid (rmmod)*completed*" "$MR_OUT"
	assert_cmd "$p: the original rmmod finished" is_finished "$pid"
	is_finished "$pid" && wait "$pid"
	assert_eq "$p: the original rmmod succeeded" 0 "$?"
	assert_cmd "$p: its exit ran to its end" sh -c "dmesg | grep -q '$p: exit done'"
	assert_eq "$p: gone" absent "$(mod_state $p)"
	assert_cmd "$p: a fixed build loads" load_patient $p healthy=1
	assert_cmd "$p: and unloads normally" rmmod $p
done
assert_eq "TAINT_FORCED_RMMOD set" 1 "$(taint_forced_rmmod)"
assert_eq "helper unloaded after use" absent "$(mod_state modrescue)"
assert_cmd "release logged" sh -c "dmesg | grep -q 'hp_heapwait: released pid'"

# An ia32 unloader, stuck in the same exit.
p=hp_exitwait
load_patient $p
mr-unloader32 $p &
pid=$!
ia32_stuck() { [ "$(task_state "$pid")" = D ]; }
assert_cmd "ia32: mr-unloader32 stuck in the exit" wait_until 10 ia32_stuck
mr why $p
assert_match "ia32: why names it, inside delete_module" \
	"*mr-unloader32 (pid $pid) has been blocked for * s in *${p}_exit \[$p\]*modrescue unload would release mr-unloader32 (pid $pid)*" \
	"$MR_OUT"
mr unload $p
assert_eq "ia32: exit code" 0 "$MR_RC"
assert_match "ia32: released, then unloaded" "*released, then unloaded*" "$MR_OUT"
assert_match "ia32: says what it completed" "*released pid $pid (mr-unloader32)*completed*" "$MR_OUT"
assert_cmd "ia32: the unloader finished" is_finished "$pid"
is_finished "$pid" && wait "$pid"
assert_eq "ia32: its delete_module succeeded" 0 "$?"
assert_eq "ia32: gone" absent "$(mod_state $p)"
