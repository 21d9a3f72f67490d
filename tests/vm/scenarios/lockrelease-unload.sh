# lockrelease-unload: with lockwatch on before hp_spinoops loads, its
# kthread oopses holding hp_spinoops_lock, which the module's exit takes.
# `modrescue unload` right after the oops releases that lock first (the
# owner is dead: its task is gone), then unloads: the module is gone, its
# exit printed "exit done", nothing spun (no soft lockup, no RCU stall),
# the report names the lock, the dead owner and its acquire site, and the
# kernel is tainted R (TAINT_FORCED_RMMOD, bit 3) after the release and
# not before. On PREEMPT_RT spinlock_t is an rtmutex: `locks release`
# refuses it (exit 3), saying why, and changes nothing; `unload
# --no-quarantine` refuses too rather than start an exit that would sleep
# on it for good.
# timeout: 300
# accel: tcg,thread=single
rt=0
uname -v | grep -q PREEMPT_RT && rt=1

mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
assert_eq "no R taint before" 0 "$(taint_forced_rmmod)"

expect oops 1
load_patient hp_spinoops
assert_eq "insmod hp_spinoops" 0 "$?"
assert_cmd "the kthread oopsed with the lock held" wait_until 10 oopsed_in hp_spinoops_thread
listed_dead() {
	modrescue locks --all --json >/tmp/locks.json 2>/dev/null
	grep -q '"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{[^}]*"alive":false' /tmp/locks.json
}
assert_cmd "locks lists the lock, its owner dead" wait_until 10 listed_dead
cat /tmp/locks.json

# PID reuse: a stranger (a sleep) gets the dead owner's pid through
# ns_last_pid. The owner is the task recorded at acquisition (pid and start
# time): `locks` does not name the stranger, alive, as the owner, and the
# release below still takes the owner for dead.
opid=$(sed -n 's/.*"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{"pid":\([0-9]*\),.*/\1/p' /tmp/locks.json | head -n 1)
assert_match "the dead owner's pid" "[1-9]*" "$opid"
stranger=
n=0
while [ $n -lt 10 ] && [ "$stranger" != "$opid" ]; do
	[ -n "$stranger" ] && kill "$stranger" && wait "$stranger" 2>/dev/null
	echo $((opid - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 600 &
	stranger=$!
	n=$((n + 1))
done
assert_eq "a stranger has the dead owner's pid" "$opid" "$stranger"
assert_cmd "the lock is still listed, its owner dead" listed_dead
cat /tmp/locks.json
assert_cmd "the stranger is not named as the owner" sh -c "! grep -q '\"comm\":\"sleep\"' /tmp/locks.json"
mr locks release --dry-run --json hp_spinoops_lock
assert_match "dry run: the owner is dead" \
	"*\"owner\":{\"pid\":$opid,\"comm\":\"hp_spinoops\",\"alive\":false*" "$MR_OUT"

if [ "$rt" = 1 ]; then
	mr locks release hp_spinoops_lock
	assert_eq "RT: locks release refused" 3 "$MR_RC"
	assert_match "RT: says why" "*hp_spinoops_lock \[hp_spinoops\] held by dead pid $opid*taken at hp_spinoops_thread+0x*sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex)*" "$MR_ERR"
	mr locks release --json hp_spinoops_lock
	assert_eq "RT: --json refused" 3 "$MR_RC"
	assert_match "RT: --json reason" '*"released":false,"reason":"sleeping"*' "$MR_OUT"
	assert_eq "RT: no R taint" 0 "$(taint_forced_rmmod)"
	assert_cmd "RT: still listed" listed_dead
	assert_cmd "RT: nothing released" sh -c "! dmesg | grep -q 'modrescue: released'"
	# unload --no-quarantine refuses and starts nothing: no delete_module
	# whose exit would sleep for good on the rtmutex (without it, the
	# module is quarantined: unload-quarantine-rtlock).
	mr unload --no-quarantine hp_spinoops
	assert_eq "RT: unload refused" 3 "$MR_RC"
	assert_match "RT: unload says why" \
		"*Module hp_spinoops cannot be unloaded: its exit would sleep for good on hp_spinoops_lock \[hp_spinoops\], taken at hp_spinoops_thread+0x*, held by dead pid [0-9]*: a sleeping lock*not quarantined (--no-quarantine)*" \
		"$MR_ERR"
	assert_cmd "RT: its exit never ran" \
		sh -c '! dmesg | grep -q "hp_spinoops: exit taking the lock"'
	assert_eq "RT: still live" live "$(mod_state hp_spinoops)"
	assert_eq "RT: no R taint after unload" 0 "$(taint_forced_rmmod)"
	exit 0
fi

mr unload --dry-run hp_spinoops
assert_eq "dry run" 0 "$MR_RC"
assert_match "dry run: would release the lock first" \
	"*would: release lock hp_spinoops_lock \[hp_spinoops\], taken at hp_spinoops_thread+0x*, whose owner is dead*would: delete_module*" "$MR_OUT"
assert_eq "dry run: no R taint" 0 "$(taint_forced_rmmod)"

mr unload hp_spinoops
assert_eq "unload" 0 "$MR_RC"
assert_match "report: the lock, its dead owner, the site, the taint" \
	"*helper: released lock hp_spinoops_lock \[hp_spinoops\] held by dead pid $opid (hp_spinoops), taken at hp_spinoops_thread+0x*\[hp_spinoops\] (it oopsed); kernel tainted (R)*delete_module(hp_spinoops): ok*module hp_spinoops is gone*forced module removal (R) set*" \
	"$MR_OUT"
assert_eq "hp_spinoops gone" absent "$(mod_state hp_spinoops)"
assert_cmd "the stranger with its pid lives on" kill -0 "$stranger"
kill "$stranger"
assert_cmd "its exit completed" sh -c "dmesg | grep -q 'hp_spinoops: exit done'"
assert_eq "R taint after" 1 "$(taint_forced_rmmod)"
assert_cmd "the helper logged one line for it" \
	sh -c "dmesg | grep -q 'modrescue: released hp_spinoops_lock \[hp_spinoops\] held by dead pid [0-9]*, taken at hp_spinoops_thread+0x'"
locks_json /tmp/locks.json
assert_cmd "locks no longer lists it" sh -c "! grep -q hp_spinoops /tmp/locks.json"
# The machine still takes a module (RCU was never held up).
load_patient hp_lockhold hold_ms=10
assert_eq "insmod afterwards" 0 "$?"
assert_cmd "rmmod afterwards" rmmod hp_lockhold

# `locks release` alone, while the module stays: --dry-run changes nothing;
# the release frees the lock and lockwatch stops listing it; a second
# release finds nothing held; plain rmmod then works. (expect adds up.)
expect oops 1
load_patient hp_spinoops
assert_eq "insmod hp_spinoops again" 0 "$?"
oopsed2() { [ "$(dmesg | grep -c 'RIP: .*hp_spinoops_thread')" -ge 2 ]; }
assert_cmd "it oopsed again" wait_until 10 oopsed2
assert_cmd "listed again, its owner dead" wait_until 10 listed_dead
mr locks release --dry-run --json hp_spinoops_lock
assert_eq "dry run" 0 "$MR_RC"
assert_match "dry run: says who" \
	'*"symbol":"hp_spinoops_lock [[]hp_spinoops[]]","owner":{"pid":*,"comm":"hp_spinoops","alive":false,"oopsed":true}*"dry_run":true,"released":false,"reason":"ok"*' \
	"$MR_OUT"
assert_cmd "dry run: still listed" listed_dead
id=$(printf '%s\n' "$MR_OUT" | sed -n 's/^{"lock":"\(0x[0-9a-f]*\)".*/\1/p')
assert_match "its id" "0x?*" "$id"
mr locks release hp_spinoops_lock
assert_eq "locks release" 0 "$MR_RC"
locks_json /tmp/locks.json
assert_cmd "no longer listed" sh -c "! grep -q hp_spinoops_lock /tmp/locks.json"
mr locks release hp_spinoops_lock
assert_eq "a second release: not held" 1 "$MR_RC"
# By its id, the helper itself must find it released (forgotten, and its
# lock word free).
mr locks release "$id"
assert_eq "a second release by id: not held" 1 "$MR_RC"
assert_cmd "one release logged per round" \
	sh -c "[ \$(dmesg | grep -c 'modrescue: released hp_spinoops_lock') = 2 ]"
assert_cmd "rmmod hp_spinoops (plain)" rmmod hp_spinoops
assert_eq "its exit completed again" 2 "$(dmesg | grep -c 'hp_spinoops: exit done')"
