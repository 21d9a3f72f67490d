# status-live: the patients that stay LIVE (a leaked reference, no exit, a
# dependency, a device held open, kthreads running their code), as
# modrescue status and why see them. Diagnosis must change nothing.
# shellcheck source=tests/vm/scenarios/status-basics.sh
STATUS_LIB=1 . /lab/scenarios/status-basics.sh

load_patient hp_refleak
load_patient hp_noexit
load_patient hp_dep_a
load_patient hp_dep_b
load_patient hp_openfd
load_patient hp_panic healthy=1
# The holder: a process with the device open as its stdin.
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 1000 </dev/hp_openfd &
holder=$!
held() { [ "$(mod_refcnt hp_openfd)" = 1 ]; }
wait_until 3 held
snap_modules

check hp_refleak in-use live 1 "" true
why_has hp_refleak "*refcnt is 1: something holds a reference to it*does not make it a leak*refuses while any is found*unload --force hp_refleak*"

check hp_noexit no-exit live 0 "" false
why_has hp_noexit "*no exit function*would force it out, as rmmod -f does*"

check hp_dep_a has-holders live 1 hp_dep_b true
why_has hp_dep_a "*needed by hp_dep_b: it must be unloaded first*--cascade would unload hp_dep_b first*"
check hp_dep_b unloadable live 0 "" true

check hp_openfd in-use live 1 "" true
why_has hp_openfd "*held open by pid $holder (sleep) fd 0 /dev/hp_openfd*refuses while pid $holder (sleep) holds it open*"

check hp_panic unloadable live 0 "" true
assert_cmd "hp_panic's kthread is seen running its code" jtask hp_panic other hp_panic
why_has hp_panic "*nothing blocks it: plain rmmod works*"
why_has hp_panic "*hp_panic (pid *) is running its code: *hp_panic_thread \[hp_panic\] <- kthread*"

out=$(modrescue why --json hp_dep_a)
echo "why --json hp_dep_a: $out"
assert_match "why --json keys" '{"module":{"name":"hp_dep_a",*"verdict":"has-holders",*},"reasons":\[*\],"notes":\[*\],"unload":"*"}' "$out"

out=$(modrescue status)
printf '%s\n' "$out"
assert_match "status table: hp_dep_a" "*hp_dep_a *live *1 yes *has-holders *hp_dep_b*" "$out"
assert_match "status table: hp_noexit" "*hp_noexit *live *0 no *no-exit *-*" "$out"
same_modules
st_capture live "$holder"

# Busy kthreads, one patient at a time: verdict, then plain rmmod works.
for p in hp_abba hp_spinlong; do
	load_patient $p
	check $p unloadable live 0 "" true
	assert_cmd "rmmod $p, as the verdict promised" rmmod $p
done
kill "$holder"
