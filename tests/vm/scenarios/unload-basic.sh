# modrescue unload, the cases without a live user: a healthy in-tree module
# (plain path, no helper), a refcount leak, no exit function, --dry-run,
# --json, and usage errors.
helper_loaded() { [ -d /sys/module/modrescue ]; }

# A healthy real module: plain delete_module, no helper, no taint.
assert_cmd "modprobe loop" modprobe loop
mr unload loop
assert_eq "unload loop: exit" 0 "$MR_RC"
assert_eq "loop gone" absent "$(mod_state loop)"
assert_cmd "no helper for the plain path" sh -c "! echo \"\$0\" | grep -q helper" "$MR_OUT"
assert_cmd "helper not loaded" sh -c "! test -d /sys/module/modrescue"
assert_eq "no forced-rmmod taint" 0 "$(taint_forced_rmmod)"
assert_cmd "loop reloads" modprobe loop

# --dry-run changes nothing.
load_patient hp_refleak
cp /proc/modules /tmp/modules.before
mr unload --dry-run hp_refleak
assert_eq "dry-run: exit" 0 "$MR_RC"
assert_match "dry-run: says it would refuse without --force" \
	"*would: refuse the references no user explains*would: with --force only: reset refcount*" "$MR_OUT"
assert_eq "dry-run: refcnt untouched" 1 "$(mod_refcnt hp_refleak)"
assert_cmd "dry-run: helper not loaded" sh -c "! test -d /sys/module/modrescue"
assert_cmd "dry-run: /proc/modules unchanged" cmp /proc/modules /tmp/modules.before
assert_eq "dry-run: no taint" 0 "$(taint_forced_rmmod)"

# A reference nobody explains is not taken for a leak: refused, exit 3,
# saying what was checked and naming --force; nothing changed.
mr unload hp_refleak
assert_eq "refleak: refused without --force" 3 "$MR_RC"
assert_match "refleak: says what was checked" \
	"*Module hp_refleak is in use: 1 reference that no open file, mapping, mount, net device, task or module explains*modrescue unload --force hp_refleak*" \
	"$MR_ERR"
assert_eq "refleak: refcnt untouched" 1 "$(mod_refcnt hp_refleak)"
assert_eq "refleak: no taint" 0 "$(taint_forced_rmmod)"
assert_cmd "refleak: helper unloaded after refusing" sh -c "! test -d /sys/module/modrescue"

# --force: the user knows it leaked. Reset to the base, then the kernel's
# delete_module.
mr unload --force --json hp_refleak
assert_eq "refleak: exit" 0 "$MR_RC"
assert_match "refleak: says it was declared leaked" "*--force: 1 reference declared leaked*" "$MR_OUT"
assert_match "refleak: json result" '*"result":"unloaded"*' "$MR_OUT"
assert_match "refleak: json module" '*"module":"hp_refleak"*' "$MR_OUT"
assert_match "refleak: reported the reset" "*reset refcount*" "$MR_OUT"
assert_match "refleak: reports the taint" "*forced module removal (R) set*" "$MR_OUT"
assert_eq "refleak gone" absent "$(mod_state hp_refleak)"
assert_eq "refleak: tainted R" 1 "$(taint_forced_rmmod)"
assert_cmd "refleak: edit logged" sh -c "dmesg | grep -q 'hp_refleak: refcount 1 -> 0 (forced)'"
assert_cmd "refleak: helper unloaded again" sh -c "! test -d /sys/module/modrescue"
assert_cmd "refleak reloads" load_patient hp_refleak
mr unload --force --keep-helper hp_refleak
assert_eq "refleak again: exit" 0 "$MR_RC"
assert_cmd "--keep-helper keeps it" helper_loaded
rmmod modrescue

# No exit function: forced delete_module, as rmmod -f.
load_patient hp_noexit
mr unload hp_noexit
assert_eq "noexit: exit" 0 "$MR_RC"
assert_match "noexit: forced" "*O_TRUNC*" "$MR_OUT"
assert_match "noexit: reports the taint" "*forced module removal (R) set*" "$MR_OUT"
assert_eq "noexit gone" absent "$(mod_state hp_noexit)"
assert_cmd "noexit reloads" load_patient hp_noexit
mr unload hp_noexit

# Errors.
mr unload
assert_eq "no module: usage" 2 "$MR_RC"
mr unload --bogus x
assert_eq "bad option: usage" 2 "$MR_RC"
mr unload no_such_module
assert_eq "unknown module: exit" 1 "$MR_RC"
assert_match "unknown module: kmod-style" \
	"modrescue: ERROR: Module no_such_module is not currently loaded" "$MR_ERR"
