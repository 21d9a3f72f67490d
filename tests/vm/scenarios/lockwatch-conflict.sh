# Lockwatch refuses to share an entry point: hp_ipmodify registers its own
# IPMODIFY ftrace_ops (a callback that changes nothing) on one hooked entry
# point, as a livepatch or another tool would, and only one IPMODIFY user
# may own a function. `lockwatch on` must then fail (exit 1), name the
# entry point and the other user's callback (read from tracefs'
# enabled_functions, mounted here), hook nothing (never half-armed: no
# site but the patient's is enabled) and leave no helper loaded; once the
# patient is gone, `lockwatch on` arms as usual.
# A second ftrace user that does not redirect (the function tracer,
# filtered to the hooked lock functions) may share them; ftrace then calls
# every user through its list function, whose recursion guard can skip
# lockwatch's callback without a word, so a lock call can go unseen.
# Then no held lock is trusted: with a dead owner's lock listed
# (hp_spinoops oopsed holding it), `lockwatch status` says so (text,
# --json "shared"), `locks` no longer lists the lock, and `locks release`
# refuses it as uncertain, releasing nothing, even once the tracer is off
# again, until lockwatch is armed anew.
# On PREEMPT_RT, where lockwatch hooks rt_spin_* instead, the patient
# takes rt_spin_trylock_bh.
# Arming again after a refusal or a disarm (and containment's hooks,
# on-off-on-off) filters the same static ftrace_ops again: ftrace's
# ftrace_free_filter() leaves the freed hashes behind, so unless the helper
# forgets them the next filter copies and frees them once more. slub_debug
# (every cache) turns that double free into a BUG, which fails the run.
# timeout: 240
# accel: tcg,thread=single
# append: slub_debug=FZP
ef=/sys/kernel/tracing/enabled_functions
[ -e "$ef" ] || mount -t tracefs nodev /sys/kernel/tracing
assert_cmd "tracefs mounted" test -r "$ef"

func=_raw_spin_lock_bh
uname -v | grep -q PREEMPT_RT && func=rt_spin_trylock_bh
load_patient hp_ipmodify func=$func
assert_eq "insmod hp_ipmodify func=$func" 0 "$?"
echo "enabled_functions:"
sed 's/^/  /' "$ef"
assert_match "the patient owns $func" "*$func *I*hp_ipmodify*" "$(grep "^$func " "$ef")"

mr lockwatch on
assert_eq "conflict: on fails" 1 "$MR_RC"
assert_match "conflict: names the entry point" "*cannot arm lockwatch: $func is already redirected*" "$MR_ERR"
assert_match "conflict: names the other user" "*callback is hp_ipmodify_cb*\[hp_ipmodify\]*" "$MR_ERR"
assert_match "conflict: nothing hooked" "*nothing was hooked*" "$MR_ERR"
assert_eq "conflict: says nothing on stdout" "" "$MR_OUT"
mr lockwatch status --json
assert_match "conflict: status off" '*"on":false*"hooks":0*' "$MR_OUT"
assert_cmd "conflict: helper not left loaded" sh -c "! test -d /sys/module/modrescue"
assert_eq "conflict: no site hooked by modrescue" 0 "$(grep -c modrescue "$ef")"
assert_eq "conflict: only the patient's site is enabled" "$func" "$(cut -d' ' -f1 "$ef")"
mr locks
assert_eq "conflict: locks says off" 1 "$MR_RC"

assert_cmd "rmmod hp_ipmodify" rmmod hp_ipmodify
assert_eq "no site left enabled" 0 "$(grep -c . "$ef")"
mr lockwatch on
assert_eq "patient gone: on" 0 "$MR_RC"
assert_match "patient gone: armed" "lockwatch: on since *armed*" "$MR_OUT"
hooked=$(grep -c modrescue "$ef")
mr lockwatch status --json
assert_match "patient gone: every entry point hooked ($hooked in tracefs)" "*\"hooks\":$hooked,*" "$MR_OUT"
assert_cmd "patient gone: $func among them" grep -q "^$func .*modrescue" "$ef"
mr lockwatch status --json
assert_match "alone: not shared" '*"shared":false*' "$MR_OUT"

# Shared with the function tracer.
expect oops 1
load_patient hp_spinoops
assert_eq "insmod hp_spinoops" 0 "$?"
assert_cmd "the kthread oopsed with the lock held" wait_until 10 oopsed_in hp_spinoops_thread
listed_dead() {
	modrescue locks --all --json >/tmp/locks.json 2>/dev/null
	grep -q '"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{[^}]*"alive":false' /tmp/locks.json
}
assert_cmd "locks lists the lock, its owner dead" wait_until 10 listed_dead
id=$(tr '{' '\n' </tmp/locks.json | grep '"symbol":"hp_spinoops_lock ' | sed -n 's/.*"lock":"\(0x[0-9a-f]*\)".*/\1/p' | head -n 1)
assert_match "its id" "0x?*" "$id"
t=/sys/kernel/tracing
if uname -v | grep -q PREEMPT_RT; then
	mr locks release --dry-run --json hp_spinoops_lock
	assert_match "alone: refused as a sleeping lock only" '*"reason":"sleeping"*' "$MR_OUT"
	traced="rt_spin_lock rt_spin_unlock"
else
	would_release() { modrescue locks release --dry-run hp_spinoops_lock >/dev/null 2>&1; }
	assert_cmd "alone: a dry run would release it" wait_until 10 would_release
	traced="_raw_spin_lock _raw_spin_unlock _raw_spin_lock_irqsave _raw_spin_unlock_irqrestore"
fi
for f in $traced; do echo "$f" >>$t/set_ftrace_filter; done
echo function >$t/current_tracer
echo "enabled_functions with the function tracer:"
sed 's/^/  /' "$ef"
first=${traced%% *}
assert_cmd "shared: the tracer is on $first" grep -q "^$first ([2-9])" "$ef"
shared() {
	modrescue lockwatch status --json >/tmp/lw.json 2>/dev/null &&
		grep -q '"shared":true' /tmp/lw.json
}
assert_cmd "shared: status --json says so" wait_until 10 shared
mr lockwatch status
assert_match "shared: status says so" "*another ftrace user shares a hooked function, so lock calls can go unseen: no held lock is trusted*" "$MR_OUT"
# not_trusted WHEN: the lock is not listed, `locks` says why, and a release
# by name or by id is refused as uncertain; nothing is released.
not_trusted() {
	mr locks --all
	assert_eq "$1: locks: exit 0" 0 "$MR_RC"
	assert_cmd "$1: locks no longer lists it" sh -c "! echo '$MR_OUT' | grep -q hp_spinoops_lock"
	assert_match "$1: locks says why" "*warning: another ftrace user shares a hooked function*no held lock is trusted*" "$MR_ERR"
	mr locks release hp_spinoops_lock
	assert_eq "$1: release by name: refused" 3 "$MR_RC"
	assert_match "$1: release by name: uncertain" "*lock hp_spinoops_lock: who holds it is uncertain: another ftrace user shares a hooked function*" "$MR_ERR"
	mr locks release --json "$id"
	assert_eq "$1: release by id: refused" 3 "$MR_RC"
	assert_match "$1: release by id: uncertain" '*"owner":null,*"released":false,"reason":"uncertain"*' "$MR_OUT"
	assert_match "$1: release by id: no owner called dead" "*not released: lock $id, whose holder lockwatch cannot name: lockwatch missed an event*" "$MR_ERR"
	mr locks release --dry-run --json "$id"
	assert_match "$1: --dry-run by id: uncertain" '*"released":false,"reason":"uncertain"*' "$MR_OUT"
	assert_eq "$1: no R taint" 0 "$(taint_forced_rmmod)"
	assert_cmd "$1: nothing released" sh -c "! dmesg | grep -q 'modrescue: released'"
}
not_trusted "shared"
echo nop >$t/current_tracer
echo >$t/set_ftrace_filter
assert_cmd "tracer off: only lockwatch's sites" sh -c "! grep -v modrescue '$ef' | grep -q ."
not_trusted "tracer off"
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
mr lockwatch on
assert_eq "on anew" 0 "$MR_RC"
mr lockwatch status --json
assert_match "on anew: not shared" '*"shared":false*' "$MR_OUT"
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
assert_cmd "off: helper gone" sh -c "! test -d /sys/module/modrescue"
assert_eq "off: no site left enabled" 0 "$(grep -c . "$ef")"
# A file held open on /dev/modrescue keeps the helper loaded across
# `lockwatch off`, so each round filters the same static ops again.
mr lockwatch on
assert_eq "lockwatch on (kept)" 0 "$MR_RC"
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 600 </dev/modrescue &
keeper=$!
for round in 1 2; do
	[ "$round" = 1 ] || mr lockwatch on
	assert_eq "lockwatch on ($round)" 0 "$MR_RC"
	mr contain on --panic hp_spinoops
	assert_eq "contain on ($round)" 0 "$MR_RC"
	assert_match "contain on ($round): make_task_dead hooked" \
		"*make_task_dead*" "$(cat "$ef")"
	assert_match "contain on ($round): panic hooked" "*panic *" "$(cat "$ef")"
	mr contain off
	assert_eq "contain off ($round)" 0 "$MR_RC"
	mr contain on
	assert_eq "contain on again ($round)" 0 "$MR_RC"
	mr contain off
	assert_eq "contain off again ($round)" 0 "$MR_RC"
	mr lockwatch off
	assert_eq "lockwatch off ($round)" 0 "$MR_RC"
	assert_cmd "lockwatch off ($round): the helper stays, held open" \
		test -d /sys/module/modrescue
done
assert_eq "kept helper: no site left enabled" 0 "$(grep -c . "$ef")"
kill "$keeper"
wait "$keeper" 2>/dev/null
assert_cmd "rmmod modrescue" rmmod modrescue
