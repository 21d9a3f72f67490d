# rescue-quarantine-init: insmod stuck in an init that waits for an event
# that never comes (hp_waitevent in_init=1). No completion releases it, so
# modrescue unload quarantines the COMING module (exit 4): renamed
# NAME.q1, memory kept, the insmod parked. On 6.4+ the stuck insmod's entry
# leaves the kernel's idempotent-load table too, so the very same .ko file
# loads again at once instead of waiting behind it forever.
is_d() { [ "$(task_state "$1")" = D ]; }

load_patient_bg hp_waitevent in_init=1
loader=$INSMOD_PID
assert_cmd "insmod stuck in init" wait_until 10 is_d "$loader"
assert_eq "module coming" coming "$(mod_state hp_waitevent)"

mr unload hp_waitevent
assert_eq "quarantined, exit 4" 4 "$MR_RC"
assert_match "says so" "*quarantined as hp_waitevent.q1*" "$MR_OUT"
assert_match "the insmod is parked" "*pid $loader (insmod) is parked*" "$MR_OUT"
case "$(uname -r)" in
6.1.*)
	# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
	assert_cmd "no table to leave before 6.4" \
		sh -c 'case "$1" in *idempotent*) exit 1 ;; esac' _ "$MR_OUT"
	;;
*) assert_match "the insmod left the table" \
	"*pid $loader (insmod) left the kernel's idempotent-load table*" "$MR_OUT" ;;
esac
assert_eq "the name is free" absent "$(mod_state hp_waitevent)"
assert_eq "its copy stays, coming" coming "$(mod_state hp_waitevent.q1)"
assert_oneof "the insmod still sleeps" "$(task_state "$loader")" D I

# The same file: a load that waited behind the stuck insmod would never end.
load_patient_bg hp_waitevent healthy=1
again=$INSMOD_PID
assert_cmd "the same .ko loads at once" wait_until 20 is_finished "$again"
is_finished "$again" && wait "$again"
assert_eq "and succeeds" 0 "$?"
assert_eq "the new one is live" live "$(mod_state hp_waitevent)"
assert_cmd "and unloads normally" rmmod hp_waitevent
assert_oneof "the stuck insmod still sleeps" "$(task_state "$loader")" D I
assert_eq "its copy stays" coming "$(mod_state hp_waitevent.q1)"
