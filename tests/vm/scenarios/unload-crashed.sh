# modrescue unload after a crash: init oopsed (COMING), exit oopsed
# (GOING), and kthread_stop() on a dead thread (seed 003, GOING). Each ends
# in the kernel's own delete_module, and the module loads again.
expect oops 1
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
expect_done
assert_eq "exitoops: going" going "$(mod_state hp_exitoops)"
mr unload hp_exitoops
assert_eq "exitoops: exit" 0 "$MR_RC"
assert_match "exitoops: cleared exit" "*clear exit*" "$MR_OUT"
assert_eq "exitoops gone" absent "$(mod_state hp_exitoops)"
assert_cmd "exitoops reloads" load_patient hp_exitoops healthy=1
assert_cmd "and unloads normally" rmmod hp_exitoops

# Twice: each crashed init leaves the dead loader's entry in the kernel's
# idempotent-load table (6.4+), and the same file must load again each time.
for round in 1 2; do
	expect oops 1
	load_patient hp_initoops 2>/dev/null
	expect_done
	assert_eq "initoops $round: coming" coming "$(mod_state hp_initoops)"
	mr unload hp_initoops
	assert_eq "initoops $round: exit" 0 "$MR_RC"
	assert_match "initoops $round: state -> live" "*state -> live*" "$MR_OUT"
	case "$(uname -r)" in
	6.1.*)
		# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
		assert_cmd "initoops $round: no table to mend before 6.4" \
			sh -c 'case "$1" in *idempotent*) exit 1 ;; esac' _ "$MR_OUT"
		;;
	*)
		# The helper's own load must keep out of the broken table.
		assert_match "initoops $round: helper loaded with init_module" \
			"*loaded the helper (modrescue.ko, with init_module*" "$MR_OUT"
		assert_match "initoops $round: table mended" \
			"*mended the kernel's idempotent-load table: cut * left by the dead loader*" "$MR_OUT"
		;;
	esac
	assert_eq "initoops $round: gone" absent "$(mod_state hp_initoops)"
	assert_cmd "initoops $round: the same file loads" load_patient hp_initoops healthy=1
	assert_cmd "initoops $round: and unloads normally" rmmod hp_initoops
done

# Seed 003 either oopses rmmod (GOING, no task left: unload rescues it) or
# hangs it in kthread_stop (a stuck task that must never be released:
# unload quarantines the module, see rescue-kthreadstop).
expect oops 0 1
expect warning 0 2
load_patient hp_kthreadstop
try_rmmod hp_kthreadstop
expect_done
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
