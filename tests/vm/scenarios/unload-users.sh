# modrescue unload refuses when users are real: a dependency chain (and
# --cascade), a process holding the module's device open, a mount of its
# filesystem, and a net device running its ops.
load_patient hp_dep_a
load_patient hp_dep_b
mr unload hp_dep_a
assert_eq "dep: refused" 3 "$MR_RC"
assert_match "dep: names the holder" "*Module hp_dep_a is in use by: hp_dep_b*" "$MR_ERR"
assert_eq "dep: a untouched" live "$(mod_state hp_dep_a)"
assert_eq "dep: b untouched" live "$(mod_state hp_dep_b)"
mr unload --dry-run --cascade hp_dep_a
assert_eq "dep: cascade dry-run" 0 "$MR_RC"
assert_eq "dep: dry-run left b" live "$(mod_state hp_dep_b)"
mr unload --cascade hp_dep_a
assert_eq "dep: cascade" 0 "$MR_RC"
assert_eq "dep: b gone" absent "$(mod_state hp_dep_b)"
assert_eq "dep: a gone" absent "$(mod_state hp_dep_a)"
assert_cmd "dep: order, holder first" \
	sh -c "echo \"\$0\" | grep -n '^hp_dep_' | head -n 1 | grep -q hp_dep_b" "$MR_OUT"
assert_cmd "dep: a reloads" load_patient hp_dep_a
assert_cmd "dep: b reloads" load_patient hp_dep_b
mr unload --cascade hp_dep_a

# A process holds the device open: refused, exit 3, naming it; even the
# module's refcount stays as it was. Once the holder exits, a plain unload.
load_patient hp_openfd
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 1000 </dev/hp_openfd &
holder=$!
openfd_refcnt_is() { [ "$(mod_refcnt hp_openfd)" = "$1" ]; }
wait_until 3 openfd_refcnt_is 1
mr unload hp_openfd
assert_eq "openfd: refused" 3 "$MR_RC"
assert_match "openfd: names the holder" \
	"modrescue: ERROR: Module hp_openfd is in use by: pid $holder (sleep) fd 0 /dev/hp_openfd*" \
	"$MR_ERR"
assert_eq "openfd: still live" live "$(mod_state hp_openfd)"
assert_eq "openfd: refcnt untouched" 1 "$(mod_refcnt hp_openfd)"
assert_eq "openfd: no taint" 0 "$(taint_forced_rmmod)"
assert_cmd "openfd: helper unloaded" sh -c "! test -d /sys/module/modrescue"
kill $holder
wait_until 3 openfd_refcnt_is 0
mr unload hp_openfd
assert_eq "openfd: unloaded once the holder left" 0 "$MR_RC"
assert_eq "openfd gone" absent "$(mod_state hp_openfd)"
assert_cmd "openfd reloads" load_patient hp_openfd
mr unload hp_openfd

# A mounted filesystem of the module's type is a live user (found through
# its fs-binfmt_misc alias): refused; unloaded once unmounted.
assert_cmd "modprobe binfmt_misc" modprobe binfmt_misc
mkdir -p /tmp/binfmt
assert_cmd "mount binfmt_misc" mount -t binfmt_misc none /tmp/binfmt
mr unload binfmt_misc
assert_eq "mount: refused" 3 "$MR_RC"
assert_match "mount: names it" \
	"*Module binfmt_misc is in use by: mounted filesystem binfmt_misc*a mount of binfmt_misc on /tmp/binfmt*" \
	"$MR_ERR"
assert_eq "mount: still live" live "$(mod_state binfmt_misc)"
umount /tmp/binfmt
mr unload binfmt_misc
assert_eq "mount: unloaded once unmounted" 0 "$MR_RC"
assert_eq "binfmt_misc gone" absent "$(mod_state binfmt_misc)"

# A net device whose ops are the module's is a live user: hp_netoops' exit
# oopsed before unregistering hpnet0, leaving it GOING. Clearing its exit
# and freeing it would leave hpnet0 calling freed code: refused, named.
expect oops 1
load_patient hp_netoops
assert_cmd "netoops: hpnet0 registered" test -d /sys/class/net/hpnet0
rmmod hp_netoops 2>/dev/null
assert_eq "netoops: going" going "$(mod_state hp_netoops)"
mr unload hp_netoops
assert_eq "netoops: refused" 3 "$MR_RC"
assert_match "netoops: names the device" \
	"modrescue: ERROR: Module hp_netoops is in use by: net device hpnet0*" \
	"$MR_ERR"
assert_eq "netoops: still going" going "$(mod_state hp_netoops)"
assert_cmd "netoops: hpnet0 still there" test -d /sys/class/net/hpnet0
assert_eq "netoops: no forced edit" 0 "$(taint_forced_rmmod)"
