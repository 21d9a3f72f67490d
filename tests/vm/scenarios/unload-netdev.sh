# Ordinary networking modules: dummy and bridge (with stp and llc under
# it). A module whose references are all gone (refcount 0) owns its net
# devices: `unload` takes the least invasive way, the kernel's plain
# delete_module() as rmmod does, and the module's exit removes its devices,
# in this network namespace and in one only a child process has. Nothing
# forced, no taint. A module other modules use (stp, llc) is refused,
# naming them; --cascade unloads the users first, in order.
# timeout: 240

assert_cmd "modprobe dummy" modprobe dummy
assert_cmd "ip link add d0 type dummy" ip link add d0 type dummy
rm -f /tmp/ns.out
unshare -n sh -c 'ip link add d1 type dummy && echo ready && exec sleep 1000' \
	>/tmp/ns.out 2>&1 &
holder=$!
assert_cmd "d1 made in a new netns" wait_until 10 grep -q ready /tmp/ns.out
assert_eq "dummy: no reference" 0 "$(mod_refcnt dummy)"
mr unload dummy
assert_eq "dummy: plain unload" 0 "$MR_RC"
assert_match "dummy: as rmmod does" "*diagnosis: unloadable: nothing blocks it*delete_module(dummy): ok*" "$MR_OUT"
assert_eq "dummy gone" absent "$(mod_state dummy)"
assert_cmd "d0 went with it" test ! -e /sys/class/net/d0
assert_cmd "the netns holder still runs" kill -0 "$holder"
kill "$holder"
wait "$holder" 2>/dev/null

assert_cmd "modprobe bridge" modprobe bridge
assert_cmd "brctl addbr br0" brctl addbr br0
for m in stp llc; do
	mr unload "$m"
	assert_eq "$m: refused" 3 "$MR_RC"
	assert_match "$m: names its users" "*Module $m is in use by: *bridge*" "$MR_ERR"
	mr unload --force "$m"
	assert_eq "$m: --force refused too" 3 "$MR_RC"
	assert_eq "$m: still live" live "$(mod_state "$m")"
done
mr unload --dry-run --cascade llc
assert_eq "llc --cascade --dry-run" 0 "$MR_RC"
assert_eq "dry run: each module once, users first" "bridge stp llc " \
	"$(echo "$MR_OUT" | sed -n 's/^\([a-z]*\): planned$/\1/p' | tr '\n' ' ')"
# The references its users hold go with them: nothing to force.
# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
assert_cmd "dry run: plain delete_module only" \
	sh -c '! echo "$0" | grep -q "helper\|--force\|refcount"' "$MR_OUT"
assert_eq "dry run: bridge untouched" live "$(mod_state bridge)"
mr unload --cascade llc
assert_eq "llc --cascade" 0 "$MR_RC"
# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
assert_cmd "users first: bridge, then stp, then llc" \
	sh -c 'echo "$0" | grep -o "^[a-z]*: unloaded" | tr "\n" " " | grep -q "^bridge: unloaded stp: unloaded llc: unloaded"' "$MR_OUT"
for m in bridge stp llc; do
	assert_eq "$m gone" absent "$(mod_state "$m")"
done
assert_cmd "br0 went with bridge" test ! -e /sys/class/net/br0
assert_eq "no taint" 0 "$(taint_forced_rmmod)"
