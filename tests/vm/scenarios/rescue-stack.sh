# rescue-stack: rmmod stuck in an exit that waits on a completion living on
# the stack of the module's own kthread (hp_stackwait). Its real completer
# may still write into that frame after the frame is gone, so the helper
# refuses it (MODRESCUE_UNBLOCK_ON_STACK) unless forced: modrescue unblock
# refuses (exit 3) and leaves everything as it was; unblock --force
# releases it (exit 0) and the module unloads; modrescue unload never
# forces it, and quarantines instead (exit 4).
PROBE=rescue-probe
is_d() { [ "$(task_state "$1")" = D ]; }
kthread_of() { grep -lx hp_stackwait /proc/[0-9]*/comm | cut -d/ -f3; }
# A healthy kernel: modules still come and go, the tools still work.
healthy() {
	assert_cmd "$1: a module loads" load_patient hp_refleak healthy=1
	assert_cmd "$1: and unloads" rmmod hp_refleak
	assert_cmd "$1: status works" modrescue status
}

# --- 1. refused, left as it was; the kthread's own complete() still works.
stuck_rmmod hp_stackwait
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
stuck=$rmmod_hp_stackwait
assert_cmd "rmmod stuck" wait_until 10 is_d "$stuck"
assert_eq "module going" going "$(mod_state hp_stackwait)"
kthread=$(kthread_of)
assert_match "its kthread" "[0-9]*" "$kthread"

# The helper's own answer: on a stack, refused without FORCE_STACK, in a
# dry run too, which still says where the completion is.
assert_cmd "helper loads" load_helper
run_probe unblock "$stuck" hp_stackwait going dry
assert_eq "dry run: refused" EINVAL "$(probe result)"
assert_eq "  reason: on a stack" 14 "$(probe reason)"
assert_eq "  kind" stack "$(probe kind)"
assert_eq "  on the kthread's stack" "$kthread" "$(probe owner)"
assert_match "  waited on in its exit" "hp_stackwait_exit+* \[hp_stackwait\]" "$(probe caller)"
run_probe unblock "$stuck" hp_stackwait going
assert_eq "no dry run: refused" EINVAL "$(probe result)"
assert_eq "  reason: on a stack" 14 "$(probe reason)"
run_probe unblock "$stuck" hp_stackwait going dry force
assert_eq "dry run, forced: would release" ok "$(probe result)"
assert_eq "  kind" stack "$(probe kind)"
# The completion's address only where kptr_restrict lets the caller see
# kernel pointers (root, 1); 2 hides it, and 0 hashes %pK: 0 both times.
kptr=$(cat /proc/sys/kernel/kptr_restrict)
for k in 2 0; do
	echo "$k" >/proc/sys/kernel/kptr_restrict
	run_probe unblock "$stuck" hp_stackwait going dry force
	assert_eq "kptr_restrict $k: no address" 0x0 "$(probe completion)"
done
echo 1 >/proc/sys/kernel/kptr_restrict
run_probe unblock "$stuck" hp_stackwait going dry force
assert_match "kptr_restrict 1, root: the address" "0xffff*" "$(probe completion)"
echo "$kptr" >/proc/sys/kernel/kptr_restrict
assert_cmd "helper unloads" rmmod modrescue

mr unblock "$stuck"
assert_eq "unblock: refused" 3 "$MR_RC"
assert_match "unblock: says it is on the kthread's stack" \
	"*cannot be released: the completion lives on the stack of pid $kthread*--force*" "$MR_ERR"
mr unblock --dry-run "$stuck"
assert_eq "unblock --dry-run: refused too" 3 "$MR_RC"
mr unblock --force --dry-run "$stuck"
assert_eq "unblock --force --dry-run: would" 0 "$MR_RC"
assert_match "unblock --force --dry-run: where" \
	"*would release pid $stuck (rmmod), waiting at hp_stackwait_exit*on the stack of pid $kthread*" "$MR_OUT"
assert_match "unblock --force --dry-run: the risk" "*risk: *stack of pid $kthread*" "$MR_OUT"
assert_cmd "no raw kernel address printed" sh -c "! grep -q '0xffff' /tmp/mr.out /tmp/mr.err"
assert_eq "refusals: the rmmod still sleeps" D "$(task_state "$stuck")"
assert_eq "refusals: still going" going "$(mod_state hp_stackwait)"
assert_eq "refusals: not tainted" 0 "$(taint_forced_rmmod)"
healthy "after the refusals"
# Its real completer, told to: the exit runs to its end, untouched.
echo 1 >/sys/module/hp_stackwait/parameters/release
assert_cmd "released by its kthread: rmmod finished" wait_until 20 is_finished "$stuck"
is_finished "$stuck" && wait "$stuck"
assert_eq "  and succeeded" 0 "$?"
assert_eq "  gone" absent "$(mod_state hp_stackwait)"
assert_eq "  still not tainted" 0 "$(taint_forced_rmmod)"

# --- 2. unblock --force completes it, and the module unloads.
stuck_rmmod hp_stackwait
stuck=$rmmod_hp_stackwait
assert_cmd "rmmod stuck again" wait_until 10 is_d "$stuck"
kthread=$(kthread_of)
mr unblock --force "$stuck"
assert_eq "unblock --force: released" 0 "$MR_RC"
assert_match "unblock --force: what it completed" \
	"*pid $stuck: released*released pid $stuck (rmmod), stuck in its exit at hp_stackwait_exit*completed a completion on the stack of pid $kthread*" "$MR_OUT"
assert_match "unblock --force: the risk" "*risk: whatever was meant to complete it may still call complete() later*(--force)*" "$MR_OUT"
assert_match "unblock --force: finished" "*pid $stuck (rmmod) finished on its own*" "$MR_OUT"
assert_cmd "no raw kernel address printed" sh -c "! grep -q '0xffff' /tmp/mr.out /tmp/mr.err"
assert_cmd "the original rmmod finished" is_finished "$stuck"
is_finished "$stuck" && wait "$stuck"
assert_eq "the original rmmod succeeded" 0 "$?"
assert_cmd "its exit ran to its end" sh -c "dmesg | grep -q 'hp_stackwait: exit done'"
assert_eq "gone" absent "$(mod_state hp_stackwait)"
assert_cmd "its kthread is gone" is_gone "$kthread"
assert_eq "TAINT_FORCED_RMMOD set" 1 "$(taint_forced_rmmod)"
assert_cmd "release logged" sh -c "dmesg | grep -q 'hp_stackwait: released pid $stuck.*FORCE_STACK'"
assert_cmd "a fixed build loads" load_patient hp_stackwait healthy=1
assert_cmd "and unloads normally" rmmod hp_stackwait

# --- 3. unload never forces it: refused with --no-quarantine, else
# quarantined.
stuck_rmmod hp_stackwait
stuck=$rmmod_hp_stackwait
assert_cmd "rmmod stuck a third time" wait_until 10 is_d "$stuck"
kthread=$(kthread_of)
mr unload --no-quarantine hp_stackwait
assert_eq "unload --no-quarantine: refused" 3 "$MR_RC"
assert_match "unload --no-quarantine: why" "*cannot be released (the completion lives on the stack of pid $kthread*not quarantined (--no-quarantine)*" "$MR_ERR"
assert_eq "unload --no-quarantine: still stuck" D "$(task_state "$stuck")"
mr unload hp_stackwait
assert_eq "unload: quarantined" 4 "$MR_RC"
assert_match "unload: not released" "*cannot release pid $stuck (rmmod)*on the stack of pid $kthread*" "$MR_OUT"
assert_match "unload: quarantined" "*quarantined as hp_stackwait.q1*" "$MR_OUT"
assert_cmd "unload: nothing completed" sh -c "! grep -q 'completed a completion' /tmp/mr.out"
assert_oneof "the rmmod still sleeps" "$(task_state "$stuck")" D I
assert_eq "the copy stays" going "$(mod_state hp_stackwait.q1)"
assert_match "its kthread still waits, in the copy" "*hp_stackwait_thread*hp_stackwait.q1*" \
	"$(cat "/proc/$kthread/stack")"
assert_cmd "the same .ko loads again" load_patient hp_stackwait healthy=1
assert_cmd "and unloads normally" rmmod hp_stackwait
healthy "at the end"
