# modrescue unload after a crash: init oopsed (COMING), exit oopsed
# (GOING), and kthread_stop() on a dead thread (seed 003, GOING). Each ends
# in the kernel's own delete_module, and the module loads again.
expect oops 1
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
assert_eq "exitoops: going" going "$(mod_state hp_exitoops)"
mr unload hp_exitoops
assert_eq "exitoops: exit" 0 "$MR_RC"
assert_match "exitoops: cleared exit" "*clear exit*" "$MR_OUT"
assert_eq "exitoops gone" absent "$(mod_state hp_exitoops)"
assert_cmd "exitoops reloads" load_patient hp_exitoops healthy=1
assert_cmd "and unloads normally" rmmod hp_exitoops

expect oops 1
load_patient hp_initoops 2>/dev/null
assert_eq "initoops: coming" coming "$(mod_state hp_initoops)"
mr unload hp_initoops
assert_eq "initoops: exit" 0 "$MR_RC"
assert_match "initoops: state -> live" "*state -> live*" "$MR_OUT"
assert_eq "initoops gone" absent "$(mod_state hp_initoops)"
# A fixed build is a new file (on 6.12 the crashed finit_module's entry for
# the old file is never cleared: see docs).
cp "$MR_PATIENTS/hp_initoops.ko" /tmp/hp_initoops.ko
assert_cmd "initoops: fixed build loads" insmod /tmp/hp_initoops.ko healthy=1
assert_cmd "and unloads normally" rmmod hp_initoops

# Seed 003 either oopses rmmod (GOING, no task left: unload rescues it) or
# hangs it in kthread_stop (a stuck task that must never be released:
# unload quarantines the module, see rescue-kthreadstop).
expect oops 0 1
expect warning 0 2
load_patient hp_kthreadstop
try_rmmod hp_kthreadstop
assert_eq "kthreadstop: going" going "$(mod_state hp_kthreadstop)"
mr unload hp_kthreadstop
if [ "$RMMOD_OUTCOME" = "killed (oops)" ]; then
	assert_eq "kthreadstop (oopsed): exit" 0 "$MR_RC"
	assert_eq "kthreadstop gone" absent "$(mod_state hp_kthreadstop)"
	assert_cmd "kthreadstop reloads" load_patient hp_kthreadstop healthy=1
	assert_cmd "and unloads normally" rmmod hp_kthreadstop
else
	assert_eq "kthreadstop (hung): quarantined" 4 "$MR_RC"
	assert_match "kthreadstop: quarantined" "*quarantined as hp_kthreadstop.q1*" "$MR_OUT"
	assert_eq "kthreadstop: the name is free" absent "$(mod_state hp_kthreadstop)"
fi
