# A kernel booted locked down (integrity): the read-only commands work;
# anything that needs the helper refuses with a clear message and changes
# nothing; a plain unload, which the kernel allows, still works.
# append: lockdown=integrity
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
mr unblock 1
assert_cmd "unblock: not exit 0" test "$MR_RC" != 0
assert_cmd "loop free" release_loop
mr unload loop
assert_eq "plain unload still works" 0 "$MR_RC"
assert_eq "loop gone" absent "$(mod_state loop)"
