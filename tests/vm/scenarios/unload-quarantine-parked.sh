# unload of a LIVE module whose panicking kthread the panic containment
# parked for good in its code: its exit would kthread_stop() that task (for
# good) or free the code it sleeps in, so it can never run safely. unload
# quarantines it (exit 4): renamed hp_panic.qN, its exit cleared and the
# copy marked going, memory kept, the name free. It says why, naming the
# parked task. A fixed build then loads under the name and unloads as usual;
# the quarantined copy is never unloaded, its exit never runs, and the task
# stays parked. --no-quarantine refuses (exit 3) and changes nothing.
# timeout: 300
# accel: tcg,thread=single
p=hp_panic
echo -1 >/proc/sys/kernel/hung_task_warnings
echo 2 >/proc/sys/kernel/hung_task_timeout_secs

# `contain on --panic` names the modules whose panics it parks, where the
# CLI takes them.
if modrescue contain --help 2>&1 | grep -q -- '--panic MOD'; then
	mr contain on --panic $p
else
	mr contain on --panic
fi
assert_eq "contain on --panic" 0 "$MR_RC"

load_patient $p
assert_eq "insmod $p" 0 "$?"
contained() { dmesg | grep -q "panic contained in hp_panic\[[0-9]*\]"; }
assert_cmd "the panic was contained" wait_until 20 contained
pid=$(dmesg | sed -n 's/.*modrescue: hp_panic\[\([0-9]*\)\] parked for good.*/\1/p' | head -n 1)
assert_cmd "the task was parked" test -n "$pid"
assert_eq "the parked task's state" I "$(task_state "$pid")"

mr unload --no-quarantine $p
assert_eq "--no-quarantine: refused" 3 "$MR_RC"
assert_match "--no-quarantine: says why" \
	"*Module $p cannot be unloaded: pid $pid (hp_panic) is parked for good in its code by modrescue's panic containment*not quarantined (--no-quarantine)*" \
	"$MR_ERR"
assert_eq "--no-quarantine: still live" live "$(mod_state $p)"
assert_eq "--no-quarantine: no R taint" 0 "$(taint_forced_rmmod)"

mr unload $p
assert_eq "unload quarantines" 4 "$MR_RC"
assert_match "says why, naming the parked task" \
	"*its exit can never run safely: pid $pid (hp_panic) is parked for good in its code by modrescue's panic containment*" \
	"$MR_OUT"
assert_match "renamed, memory kept" \
	"*renamed $p to $p.q1 and kept its memory for pid $pid (hp_panic): the name $p is free for a fixed build; kernel tainted (R)*its exit was cleared and it is marked going*" \
	"$MR_OUT"
assert_cmd "the new name is in /proc/modules" grep -q "^$p.q1 " /proc/modules
assert_eq "the old name is gone" absent "$(mod_state $p)"
assert_eq "the copy is marked going" going "$(mod_state $p.q1)"
assert_eq "tainted R" 1 "$(taint_forced_rmmod)"
assert_cmd "the kernel logged it" sh -c "dmesg | grep -q '$p: quarantined as $p.q1 (live, its exit never to run, now going'"
assert_cmd "its exit never ran" sh -c "! dmesg | grep -q '$p: exit done'"
assert_eq "the parked task is still parked" I "$(task_state "$pid")"

# The name is free: a fixed build loads, runs and unloads as usual.
load_patient $p healthy=1
assert_eq "the name is free: insmod $p again" 0 "$?"
assert_eq "the new $p is live" live "$(mod_state $p)"
# (Its own kthread runs its code, so modrescue unload refuses it: rmmod.)
assert_cmd "the fixed build unloads" rmmod $p
assert_eq "its exit ran once" 1 "$(dmesg | grep -c "$p: exit done")"
assert_eq "it is gone" absent "$(mod_state $p)"

# The quarantined copy stays: delete_module refuses it, even forced.
# By its exact name (kmod's rmmod would cut it at the '.'), forced.
echo $p.q1 | mr-unloader -f 2>/tmp/unloader.err
assert_eq "a forced delete_module($p.q1) fails" 1 "$?"
assert_match "refused by the kernel: not live" "*Device or resource busy*" "$(cat /tmp/unloader.err)"
assert_cmd "$p.q1 is still there" grep -q "^$p.q1 " /proc/modules
mr unload $p
assert_eq "unload of the name again: refused" 3 "$MR_RC"
assert_match "names the quarantined copy" "*$p.q1 is its quarantined copy*" "$MR_ERR"
assert_eq "the parked task is still parked" I "$(task_state "$pid")"
assert_eq "still one exit" 1 "$(dmesg | grep -c "$p: exit done")"

mr contain off
assert_eq "contain off" 0 "$MR_RC"
echo 120 >/proc/sys/kernel/hung_task_timeout_secs
