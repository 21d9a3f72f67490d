# timeout: 180
# leftover-init: a crashed init. One that oopses after arming a periodic
# timer (hp_leftover crash=init) leaves the module COMING with the timer
# pointing into it: unload quarantines it (exit 4) and the timer keeps
# ticking on kept memory. One that oopses before registering anything
# (crash=early) leaves nothing: unload frees it (exit 0). In both, the
# module's exit must never run (the patient's exit says "exit ran" and
# oopses if it does). Last, an exit that oopses having registered nothing
# (kind=none) is freed (exit 0), and a fixed build loads.
# never_ran WHAT: the kernel log has no "exit ran" from the patient.
never_ran() {
	if dmesg | grep -q 'hp_leftover: exit ran'; then
		fail "$1: its exit ran"
	else
		echo "ok: $1: its exit never ran"
	fi
}
item="timer hp_leftover_tick \[hp_leftover\] pending on CPU [0-9]*"

expect oops 1
load_patient hp_leftover kind=timer crash=init 2>/dev/null
assert_eq "crash=init: insmod killed" 137 "$?"
assert_eq "crash=init: left coming" coming "$(mod_state hp_leftover)"
assert_cmd "crash=init: its timer runs" lo_ticking hp_leftover
lo_refusals "crash=init" coming "$item"
lo_quarantine "crash=init" 1 coming "$item"
never_ran "crash=init"
assert_cmd "crash=init: its timer runs on in hp_leftover.q1" lo_ticking hp_leftover.q1

# The same file loads again (on 6.4+ the dead loader's entry left the
# kernel's idempotent-load table), and crashes before registering.
expect oops 1
load_patient hp_leftover kind=misc crash=early 2>/dev/null
assert_eq "crash=early: insmod killed" 137 "$?"
assert_eq "crash=early: left coming" coming "$(mod_state hp_leftover)"
mr unload hp_leftover
assert_eq "crash=early: unloaded" 0 "$MR_RC"
lo_no_leftover "crash=early"
assert_eq "crash=early: gone" absent "$(mod_state hp_leftover)"
never_ran "crash=early"
assert_cmd "crash=early: no /dev/hp_leftover0" test ! -e /dev/hp_leftover0
assert_cmd "crash=early: a fixed build loads" load_patient hp_leftover healthy=1 kind=misc
assert_cmd "crash=early: with its device" test -c /dev/hp_leftover0
assert_cmd "crash=early: and unloads" rmmod hp_leftover

lo_crash "kind=none" kind=none
mr unload hp_leftover
assert_eq "kind=none: unloaded" 0 "$MR_RC"
lo_no_leftover "kind=none"
assert_eq "kind=none: gone" absent "$(mod_state hp_leftover)"
assert_cmd "kind=none: a fixed build loads" load_patient hp_leftover healthy=1 kind=timer
assert_cmd "kind=none: it runs" lo_ticking hp_leftover
assert_cmd "kind=none: and unloads" rmmod hp_leftover

sleep 3
never_ran "in the end"
assert_cmd "the crashed init's timer still runs" lo_ticking hp_leftover.q1
assert_oneof "its copy stays" "$(mod_state hp_leftover.q1)" coming going
