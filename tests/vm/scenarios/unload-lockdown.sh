# A kernel locked down (integrity, then confidentiality): the read-only
# commands work; anything that needs the helper refuses with a clear message
# and changes nothing, a stuck task included; a plain unload, which the
# kernel allows, still works. The stuck rmmod is set up before the lockdown
# is raised (it can only be raised at run time), since a locked-down kernel
# loads no unsigned patient.
stuck_rmmod hp_exitwait
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
stuck=$rmmod_hp_exitwait
stuck_in_exit() { [ "$(task_state "$stuck")" = D ]; }
assert_cmd "rmmod stuck in hp_exitwait's exit" wait_until 10 stuck_in_exit
echo integrity >/sys/kernel/security/lockdown
assert_eq "locked down" "none [integrity] confidentiality" \
	"$(cat /sys/kernel/security/lockdown)"
assert_cmd "modprobe loop (signed)" modprobe loop
mr status loop
assert_eq "status works" 0 "$MR_RC"
mr why loop
assert_eq "why works" 0 "$MR_RC"

# Held open: unload refuses for the user before anything else.
assert_cmd "loop held" hold_loop_open
mr unload --force loop
assert_eq "needs the helper: refused" 3 "$MR_RC"
assert_match "says lockdown" "*the kernel is locked down (integrity)*nothing was changed*" "$MR_ERR"
assert_eq "loop untouched" live "$(mod_state loop)"
assert_eq "refcnt untouched" 1 "$(mod_refcnt loop)"
assert_cmd "helper not loaded" sh -c "! test -d /sys/module/modrescue"
assert_eq "no taint" 0 "$(taint_forced_rmmod)"

# A task really stuck in a module's exit: unblock needs the helper too.
mr unblock "$stuck"
assert_eq "unblock: refused" 3 "$MR_RC"
assert_match "unblock: says lockdown" "*the kernel is locked down (integrity)*nothing was changed*" "$MR_ERR"
assert_eq "unblock: the rmmod still waits" D "$(task_state "$stuck")"
assert_cmd "unblock: helper not loaded" sh -c "! test -d /sys/module/modrescue"
mr unload hp_exitwait
assert_eq "unload of the stuck module: refused" 3 "$MR_RC"
assert_match "unload: says lockdown" "*locked down (integrity)*" "$MR_ERR"
assert_eq "hp_exitwait still going" going "$(mod_state hp_exitwait)"

assert_cmd "loop free" release_loop
mr unload loop
assert_eq "plain unload still works" 0 "$MR_RC"
assert_eq "loop gone" absent "$(mod_state loop)"

# Confidentiality: the same, and /proc/kallsyms hides its addresses.
echo confidentiality >/sys/kernel/security/lockdown
assert_eq "locked down harder" "none integrity [confidentiality]" \
	"$(cat /sys/kernel/security/lockdown)"
assert_cmd "modprobe loop again" modprobe loop
mr status loop
assert_eq "confidentiality: status works" 0 "$MR_RC"
mr unblock "$stuck"
assert_eq "confidentiality: unblock refused" 3 "$MR_RC"
assert_match "confidentiality: says so" "*the kernel is locked down (confidentiality)*" "$MR_ERR"
mr unload loop
assert_eq "confidentiality: plain unload works" 0 "$MR_RC"
assert_eq "confidentiality: loop gone" absent "$(mod_state loop)"
assert_eq "still no taint" 0 "$(taint_forced_rmmod)"
