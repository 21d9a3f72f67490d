# unload-side-by-side: modrescue commands run side by side.
# - An insmod stuck in hp_initblock's init is a loader of that module only:
#   a crashed init's rescue (hp_initoops, COMING) goes ahead beside it and
#   leaves it stuck, while unload of hp_initblock still finds its loader,
#   and so does unload of dummy, whose loader sleeps in another module's
#   notifier.
# - Three unloads started together (a crashed init, a crashed exit, a
#   leaked reference with --force) share one helper, loaded by whichever
#   comes first: each succeeds, and the last one out unloads the helper.
# - --keep-helper keeps a helper a command loaded for the commands after
#   it; a helper an admin loaded is never unloaded by a command.
# - The last command out unloads the helper, whichever command loaded it.
is_d() { [ "$(task_state "$1")" = D ]; }
helper_loaded() { [ -d /sys/module/modrescue ]; }

# A live loader of another module is not this module's loader.
load_patient_bg hp_initblock
loader=$INSMOD_PID
assert_cmd "insmod stuck in hp_initblock's init" wait_until 10 is_d "$loader"
expect oops 1
load_patient hp_initoops 2>/dev/null
expect_done
assert_eq "initoops: coming" coming "$(mod_state hp_initoops)"
mr unload hp_initoops
assert_eq "initoops beside a stuck loader: exit" 0 "$MR_RC"
# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
assert_cmd "initoops: the other loader is not named" \
	sh -c 'case "$1" in *"pid $2 "*|*"($2)"*) exit 1 ;; esac' _ "$MR_OUT$MR_ERR" "$loader"
assert_eq "initoops gone" absent "$(mod_state hp_initoops)"
assert_eq "the other insmod still stuck" D "$(task_state "$loader")"
assert_eq "hp_initblock still coming" coming "$(mod_state hp_initblock)"
assert_cmd "helper unloaded" sh -c "! test -d /sys/module/modrescue"
# Its own loader is still found, and released.
mr unload hp_initblock
assert_eq "initblock: exit" 0 "$MR_RC"
assert_match "initblock: its loader released" "*released pid $loader (insmod)*" "$MR_OUT"
assert_eq "initblock gone" absent "$(mod_state hp_initblock)"

# A real loader asleep outside the module's code (in another module's
# COMING notifier: hp_slowlive's) is still its loader.
# The helper is loaded first: its own load would wait behind the notifier.
dummy_coming() { [ "$(mod_state dummy)" = coming ]; }
assert_cmd "helper loads" load_helper
load_patient hp_slowlive coming_of=dummy delay_ms=8000
dummy_ko=$(find "/lib/modules/$(uname -r)" -name dummy.ko | head -n 1)
"$MR_KMOD/insmod" "$dummy_ko" &
dloader=$!
assert_cmd "dummy coming, its loader in a notifier" wait_until 5 dummy_coming
mr unload dummy
assert_eq "dummy's loader found: refused" 3 "$MR_RC"
assert_match "dummy: names its loader" "*pid $dloader (insmod) is inside finit_module for it*" "$MR_ERR"
assert_eq "dummy still coming" coming "$(mod_state dummy)"
wait "$dloader"
assert_eq "dummy's insmod succeeded" 0 "$?"
assert_cmd "dummy unloads" rmmod dummy
assert_cmd "hp_slowlive unloads" rmmod hp_slowlive
rmmod modrescue

# Three at once, one helper.
expect oops 2
load_patient hp_initoops 2>/dev/null
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
expect_done
load_patient hp_refleak
assert_eq "three: initoops coming" coming "$(mod_state hp_initoops)"
assert_eq "three: exitoops going" going "$(mod_state hp_exitoops)"
assert_cmd "three: helper not loaded" sh -c "! test -d /sys/module/modrescue"
modrescue unload hp_initoops >/tmp/u1.out 2>&1 &
p1=$!
modrescue unload hp_exitoops >/tmp/u2.out 2>&1 &
p2=$!
modrescue unload --force hp_refleak >/tmp/u3.out 2>&1 &
p3=$!
wait "$p1"
assert_eq "three: initoops exit" 0 "$?"
wait "$p2"
assert_eq "three: exitoops exit" 0 "$?"
wait "$p3"
assert_eq "three: refleak exit" 0 "$?"
cat /tmp/u1.out /tmp/u2.out /tmp/u3.out
for m in hp_initoops hp_exitoops hp_refleak; do
	assert_eq "three: $m gone" absent "$(mod_state "$m")"
done
assert_cmd "three: one of them loaded the helper" \
	grep -q 'loaded the helper (modrescue.ko' /tmp/u1.out /tmp/u2.out /tmp/u3.out
assert_cmd "three: the last one out unloaded it" sh -c "! test -d /sys/module/modrescue"
assert_eq "three: tainted R (--force)" 1 "$(taint_forced_rmmod)"

# The last one out unloads it, whichever loaded it. Each command below
# waits, helper open, for the per-module lock of a second module (dummy,
# can; held by holdfast, as another modrescue would): the first loads the
# helper and ends while the second uses it, and the second, which did not
# load it, ends last and unloads it.
mkdir -p /run/modrescue
modprobe dummy
modprobe can
holdfast flock /run/modrescue/dummy.lock >/tmp/hold1.out 2>&1 &
hold1=$!
holdfast flock /run/modrescue/can.lock >/tmp/hold2.out 2>&1 &
hold2=$!
assert_cmd "dummy's lock held" wait_until 5 grep -q ready /tmp/hold1.out
assert_cmd "can's lock held" wait_until 5 grep -q ready /tmp/hold2.out
load_patient hp_refleak
modrescue unload --force hp_refleak dummy >/tmp/first.out 2>&1 &
first=$!
assert_cmd "first: hp_refleak unloaded" wait_until 10 sh -c '! grep -q "^hp_refleak " /proc/modules'
expect oops 1
load_patient hp_initoops 2>/dev/null
expect_done
modrescue unload hp_initoops can >/tmp/second.out 2>&1 &
second=$!
assert_cmd "second: hp_initoops unloaded" wait_until 20 sh -c '! grep -q "^hp_initoops " /proc/modules'
kill "$hold1"
wait "$first"
assert_eq "first: exit" 0 "$?"
assert_match "first: loaded the helper" "*loaded the helper (modrescue.ko*" "$(cat /tmp/first.out)"
assert_match "first: left it to the second" "*left the helper loaded: another modrescue is using it*" "$(cat /tmp/first.out)"
assert_cmd "first: helper still loaded" helper_loaded
kill "$hold2"
wait "$second"
assert_eq "second: exit" 0 "$?"
sed 's/^/  | /' /tmp/first.out /tmp/second.out
assert_match "second: unloaded the helper it did not load" \
	"*unloaded the helper (another modrescue had loaded it; none uses it now)*" "$(cat /tmp/second.out)"
assert_cmd "second: helper gone" sh -c "! test -d /sys/module/modrescue"
for m in dummy can; do
	assert_eq "$m gone" absent "$(mod_state "$m")"
done

# --keep-helper: kept for the commands after it, whoever loaded it.
load_patient hp_refleak
mr unload --force --keep-helper hp_refleak
assert_eq "keep: exit" 0 "$MR_RC"
assert_match "keep: says it kept it" "*kept the helper loaded (--keep-helper)*" "$MR_OUT"
load_patient hp_refleak
mr unload --force hp_refleak
assert_eq "after keep: exit" 0 "$MR_RC"
assert_cmd "after keep: still loaded" helper_loaded
rmmod modrescue

# An admin's own load: used, never unloaded.
assert_cmd "admin loads the helper" load_helper
load_patient hp_refleak
mr unload --force hp_refleak
assert_eq "admin's helper: exit" 0 "$MR_RC"
assert_cmd "admin's helper: still loaded" helper_loaded
rmmod modrescue
