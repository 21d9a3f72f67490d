# rescue-options: what a rescue says and how it shares the machine.
# Two modrescues never act on one module at once: the second waits for the
# first's per-module lock (held here by holdfast, as another modrescue
# would), says so, then acts. unblock --json prints one JSON document,
# with the risk a released completion leaves (a late completer) for
# module data and for a slab object; --keep-helper leaves the helper
# loaded.
# kernels: 6.1
HOLD=/tmp/hold.out
is_gone() { [ "$(task_state "$1")" = gone ]; }

# Serialised on /run/modrescue/NAME.lock.
stuck_rmmod hp_exitwait
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
stuck=$rmmod_hp_exitwait
stuck_in_exit() { [ "$(task_state "$stuck")" = D ]; }
assert_cmd "rmmod stuck in hp_exitwait's exit" wait_until 10 stuck_in_exit
mkdir -p /run/modrescue
holdfast flock /run/modrescue/hp_exitwait.lock >"$HOLD" 2>&1 &
holder=$!
assert_cmd "another holds the module's lock" wait_until 5 grep -q ready "$HOLD"
modrescue unload hp_exitwait >/tmp/u.out 2>/tmp/u.err &
unloader=$!
sleep 3
assert_cmd "unload waits for the lock" kill -0 "$unloader"
assert_eq "nothing done meanwhile: the rmmod still waits" D "$(task_state "$stuck")"
assert_eq "nothing done meanwhile: still going" going "$(mod_state hp_exitwait)"
kill "$holder"
wait "$holder" 2>/dev/null
wait "$unloader"
assert_eq "then it acts: released" 0 "$?"
sed 's/^/  | /' /tmp/u.out /tmp/u.err
assert_match "it says it waited" "*waited for another modrescue acting on hp_exitwait*" "$(cat /tmp/u.out)"
assert_cmd "the rmmod finished" wait_until 10 is_gone "$stuck"
assert_eq "hp_exitwait gone" absent "$(mod_state hp_exitwait)"
assert_cmd "its exit ran to its end" sh -c 'dmesg | grep -q "hp_exitwait: exit done"'

# unblock --json --keep-helper, a completion in a slab object.
stuck_rmmod hp_heapwait
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
stuck=$rmmod_hp_heapwait
assert_cmd "rmmod stuck in hp_heapwait's exit" wait_until 10 stuck_in_exit
[ -d /sys/module/modrescue ] && rmmod modrescue
mr unblock --json --keep-helper "$stuck"
assert_eq "unblock --json: released" 0 "$MR_RC"
printf '%s\n' "$MR_OUT" | mr-jflat >/tmp/j.flat
assert_eq "unblock --json: one JSON document" 0 "$?"
jf() { sed -n "s/^$1=//p" /tmp/j.flat; }
assert_eq "json: pid" "$stuck" "$(jf pid)"
assert_eq "json: result" released "$(jf result)"
assert_match "json: the late completer's risk, in a slab object" \
	"*risk: whatever was meant to complete it may still call complete() later; in a slab object*" \
	"$(grep '^steps\.' /tmp/j.flat)"
assert_cmd "the rmmod finished" wait_until 10 is_gone "$stuck"
assert_eq "hp_heapwait gone" absent "$(mod_state hp_heapwait)"
assert_cmd "its exit ran to its end" sh -c 'dmesg | grep -q "hp_heapwait: exit done"'
assert_cmd "--keep-helper: the helper stays" test -d /sys/module/modrescue

# The same in module data, in text, with the helper already there.
stuck_rmmod hp_exitwait
stuck=$rmmod_hp_exitwait
assert_cmd "rmmod stuck in hp_exitwait's exit again" wait_until 10 stuck_in_exit
mr unblock "$stuck"
assert_eq "unblock: released" 0 "$MR_RC"
assert_match "the late completer's risk, in module data" \
	"*risk: whatever was meant to complete it may still call complete() later; in module data*" "$MR_OUT"
assert_cmd "the rmmod finished" wait_until 10 is_gone "$stuck"
assert_eq "hp_exitwait gone again" absent "$(mod_state hp_exitwait)"
[ -d /sys/module/modrescue ] && rmmod modrescue
assert_cmd "helper unloads" sh -c "! test -d /sys/module/modrescue"
