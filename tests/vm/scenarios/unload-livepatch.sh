# A livepatch matches its objects by module name: modrescue never resets
# the references of a livepatch module, nor of a module one patches, even
# with --force; once the patch is disabled and gone, --force works again.
load_patient hp_refleak
assert_cmd "livepatch loads" load_patient hp_klp
klp_enabled() { [ "$(cat /sys/kernel/livepatch/hp_klp/enabled 2>/dev/null)" = 1 ]; }
klp_settled() { [ "$(cat /sys/kernel/livepatch/hp_klp/transition 2>/dev/null)" = 0 ]; }
assert_cmd "patch enabled" wait_until 10 klp_enabled
assert_cmd "patch transition done" wait_until 30 klp_settled
assert_cmd "it patches hp_refleak" test -d /sys/kernel/livepatch/hp_klp/hp_refleak

mr unload --force hp_refleak
assert_eq "patched module: refused" 3 "$MR_RC"
assert_match "patched module: says so" "*Module hp_refleak is patched by livepatch /sys/kernel/livepatch/hp_klp/hp_refleak*" "$MR_ERR"
assert_eq "patched module: refcnt kept" 1 "$(mod_refcnt hp_refleak)"
mr unload --force hp_klp
assert_eq "livepatch module: refused" 3 "$MR_RC"
assert_match "livepatch module: says so" "*Module hp_klp is a livepatch*" "$MR_ERR"
assert_eq "livepatch module: still live" live "$(mod_state hp_klp)"
# The helper refuses too, for the livepatch module itself (mod->klp).
assert_cmd "helper for a direct check" load_helper
PROBE=surgery-probe
run_probe prepare hp_klp 0x1 0 force
assert_eq "helper: livepatch module refused" EPERM "$(probe result)"
rmmod modrescue
assert_eq "no taint" 0 "$(taint_forced_rmmod)"

# The patch goes away the kernel's way; then the leak can be forced out.
echo 0 >/sys/kernel/livepatch/hp_klp/enabled
klp_gone() { ! test -d /sys/kernel/livepatch/hp_klp; }
assert_cmd "patch disabled" wait_until 30 klp_gone
assert_cmd "livepatch module unloads" rmmod hp_klp
mr unload --force hp_refleak
assert_eq "unpatched: --force unloads the leak" 0 "$MR_RC"
assert_eq "unpatched: gone" absent "$(mod_state hp_refleak)"
assert_cmd "unpatched: its exit ran" sh -c 'dmesg | grep -q "hp_refleak: exit done"'
assert_eq "unpatched: forced, so tainted R" 1 "$(taint_forced_rmmod)"
