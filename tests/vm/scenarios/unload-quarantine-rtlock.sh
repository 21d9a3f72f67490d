# PREEMPT_RT only: with lockwatch on, hp_spinoops' kthread oopses holding
# hp_spinoops_lock, a spinlock_t, which on RT is an rtmutex that no
# exported function hands on from a dead owner; the module's exit takes it
# and would sleep on it for good. The module is LIVE with no user, and its
# exit can never run safely: unload quarantines it (exit 4), saying why and
# naming the lock and its dead owner, as lockwatch lists them. Renamed
# hp_spinoops.q1, its exit cleared and the copy marked going, memory kept:
# the name is free and the same .ko loads again; the copy's exit never runs
# and delete_module refuses it, even forced.
# Not on 6.1 and 6.12: spinlock_t spins there, and unload releases a dead
# owner's (lockrelease-unload).
# kernels: 6.1-rt
# timeout: 300
# accel: tcg,thread=single
p=hp_spinoops
spinoops_under_lockwatch
listed_dead() {
	modrescue locks --all --json >/tmp/locks.json 2>/dev/null
	grep -q '"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{[^}]*"alive":false' /tmp/locks.json
}
assert_cmd "locks lists the lock, its owner dead" wait_until 10 listed_dead
owner=$(sed -n 's/.*"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{"pid":\([0-9]*\),.*/\1/p' /tmp/locks.json)
assert_match "the dead owner's pid" "[1-9]*" "$owner"

mr unload $p
assert_eq "unload quarantines" 4 "$MR_RC"
assert_match "says why, naming the lock and its dead owner" \
	"*its exit can never run safely: its exit would sleep for good on hp_spinoops_lock \[hp_spinoops\], taken at hp_spinoops_thread+0x*, held by dead pid $owner*: a sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex)*" \
	"$MR_OUT"
assert_match "renamed, memory kept" \
	"*renamed $p to $p.q1 and kept its memory: the name $p is free for a fixed build; kernel tainted (R)*its exit was cleared and it is marked going*" \
	"$MR_OUT"
assert_cmd "the new name is in /proc/modules" grep -q "^$p.q1 " /proc/modules
assert_eq "the old name is free" absent "$(mod_state $p)"
assert_eq "the copy is marked going" going "$(mod_state $p.q1)"
assert_eq "tainted R" 1 "$(taint_forced_rmmod)"
assert_cmd "its exit never ran" sh -c "! dmesg | grep -q '$p: exit taking the lock'"
# By its exact name (kmod's rmmod would cut it at the '.'), forced.
echo $p.q1 | mr-unloader -f 2>/tmp/unloader.err
assert_eq "a forced delete_module($p.q1) fails" 1 "$?"
assert_match "refused by the kernel: not live" "*Device or resource busy*" "$(cat /tmp/unloader.err)"
assert_cmd "$p.q1 is still there" grep -q "^$p.q1 " /proc/modules

# The name is free: the same .ko loads again (a healthy run of it).
load_patient $p healthy=1
assert_eq "the name is free: insmod $p again" 0 "$?"
assert_eq "the new $p is live" live "$(mod_state $p)"
# (Its own kthread runs its code, so modrescue unload refuses it: rmmod.)
assert_cmd "the healthy build unloads" rmmod $p
assert_eq "only its exit ran" 1 "$(dmesg | grep -c "$p: exit done")"
assert_cmd "the copy is still there" grep -q "^$p.q1 " /proc/modules
