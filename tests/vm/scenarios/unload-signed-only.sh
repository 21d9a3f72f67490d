# append: module.sig_enforce=1
# On a kernel that loads only signed modules, the unsigned helper cannot
# load: unload says why and how to sign it, and leaves the module alone.
# loop is in-tree and signed by Debian, so it loads; a process holding
# /dev/loop-control open pins it, which needs the helper to account for.
assert_cmd "modprobe loop (signed)" modprobe loop
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 1000 </dev/loop-control &
holder=$!
pinned() { [ "$(mod_refcnt loop)" -ge 1 ]; }
wait_until 3 pinned
assert_cmd "insmod of the unsigned helper is refused" \
	sh -c "! insmod /lib/modules/\$(uname -r)/extra/modrescue.ko"
mr unload loop
assert_eq "unload: failed" 1 "$MR_RC"
assert_match "unload: says why and how to sign" \
	"*requires signed modules; sign it with*sign-file*" "$MR_ERR"
assert_eq "loop untouched" live "$(mod_state loop)"
kill $holder
