# Do no harm while a module is still loading: do_init_module() has made it
# LIVE, but its loader still holds the initial reference while it waits for
# every async work in the system. hp_slowlive's init leaves a slow one, so
# a real module (loop) loaded after it stays in that window, with none of
# its code on any stack. The reference explains itself (insmod is inside
# finit_module for it), so unload, --force or not, names the loader and
# leaves the count alone: forgetting it would let the loader's module_put()
# underflow the count, and delete_module() free the module under it. Once
# insmod returns, both modules unload plainly. Then the same while a
# failed init is unwound (GOING, the loader still inside).
# The helper is loaded first: its own load would wait for that async work.
assert_cmd "helper loads" load_helper
load_patient_bg hp_slowlive delay_ms=15000
slow_pid=$INSMOD_PID
# live_loading MOD: LIVE, and the loader's initial reference still held.
live_loading() { [ "$(mod_state "$1")" = live ] && [ "$(mod_refcnt "$1")" = 1 ]; }
assert_cmd "hp_slowlive live, still loading" \
	wait_until 5 live_loading hp_slowlive
assert_eq "loop not loaded before" absent "$(mod_state loop)"
loop_ko=$(find "/lib/modules/$(uname -r)" -name loop.ko | head -n 1)
"$MR_KMOD/insmod" "$loop_ko" &
loop_pid=$!
assert_cmd "loop live, still loading" wait_until 5 live_loading loop
loader="pid $loop_pid (insmod) is inside finit_module for it"

mr why loop
assert_match "why names the loader" \
	"*insmod (pid $loop_pid) is waiting to load loop*" "$MR_OUT"
assert_match "why says to wait for it" \
	"*insmod (pid $loop_pid) has not finished loading it*refuses until then*" \
	"$MR_OUT"
mr unload loop
assert_eq "unload refused" 3 "$MR_RC"
assert_match "unload names the loader" \
	"*Module loop is in use by: *$loader*" "$MR_ERR"
mr unload --force loop
assert_eq "--force refused too" 3 "$MR_RC"
assert_match "--force names the loader" \
	"*Module loop is in use by: *$loader*" "$MR_ERR"
assert_eq "loop still live" live "$(mod_state loop)"
assert_eq "initial reference kept" 1 "$(mod_refcnt loop)"
assert_eq "no taint" 0 "$(taint_forced_rmmod)"
assert_cmd "loop's insmod still loading" \
	test "$(task_state "$loop_pid")" != gone

wait "$loop_pid"
assert_eq "loop's insmod succeeded" 0 "$?"
wait "$slow_pid"
assert_eq "hp_slowlive's insmod succeeded" 0 "$?"
assert_eq "loop loaded: no reference left" 0 "$(mod_refcnt loop)"
mr unload loop
assert_eq "loop unloads once loaded" 0 "$MR_RC"
assert_eq "loop gone" absent "$(mod_state loop)"
mr unload hp_slowlive
assert_eq "hp_slowlive unloads" 0 "$MR_RC"
assert_cmd "its exit ran" sh -c 'dmesg | grep -q "hp_slowlive: exit done"'
assert_eq "still no taint" 0 "$(taint_forced_rmmod)"

# A failed init: hp_initfail's loader unwinds it, GOING, and frees it
# itself; hp_slowlive holds it in its GOING notifier meanwhile, from
# outside its code. Taking it LIVE and unloading it here would free it
# twice: unload, --force or not, names the loader and changes nothing.
load_patient hp_slowlive going_of=hp_initfail delay_ms=10000
load_patient_bg hp_initfail
fail_pid=$INSMOD_PID
is_going() { [ "$(mod_state hp_initfail)" = going ]; }
assert_cmd "hp_initfail going, its loader unwinding" wait_until 5 is_going
loader="pid $fail_pid (insmod) is inside finit_module for it"
mr why hp_initfail
assert_match "why: wait for the loader" \
	"*insmod (pid $fail_pid) is unwinding its failed init and frees it itself; modrescue unload refuses until it returns*" \
	"$MR_OUT"
mr unload hp_initfail
assert_eq "going: unload refused" 3 "$MR_RC"
assert_match "going: names the loader" \
	"*Module hp_initfail is in use by: *$loader*" "$MR_ERR"
mr unload --force hp_initfail
assert_eq "going: --force refused too" 3 "$MR_RC"
assert_eq "going: still going" going "$(mod_state hp_initfail)"
assert_eq "going: no taint" 0 "$(taint_forced_rmmod)"
wait "$fail_pid"
assert_cmd "its insmod failed, as its init did" test "$?" -ne 0
assert_eq "hp_initfail gone, freed by its loader" absent "$(mod_state hp_initfail)"
mr unload hp_slowlive
assert_eq "hp_slowlive unloads again" 0 "$MR_RC"
assert_eq "still no taint at the end" 0 "$(taint_forced_rmmod)"
assert_cmd "helper unloads" rmmod modrescue
