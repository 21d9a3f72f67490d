# lockwatch-helper-calls: lockwatch bypasses only the helper's own
# pass-through call sites, never "any return address in the helper". A
# kernel function the helper calls may end in a sibling call to an unlock:
# under slub_debug, kfree() from the helper can end in free_to_partial_list(),
# whose spin_unlock_irqrestore() is a tail call that returns straight into
# the helper (6.1). Its lock was taken at a site in the slab code and
# recorded; its release must be seen too, or the lock stays listed as held
# by the CLI, which is dead a moment later. After many commands that use
# the helper, no lock is listed with a dead owner.
# append: slub_debug=FZP
# timeout: 300
# accel: tcg,thread=single
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
modprobe loop
assert_eq "modprobe loop" 0 "$?"
i=0
while [ $i -lt 10 ]; do
	modrescue locks --all --json >/dev/null || fail "locks ($i)"
	modrescue lockwatch status --json >/dev/null || fail "lockwatch status ($i)"
	modrescue status >/dev/null || fail "status ($i)"
	modrescue why loop >/dev/null || fail "why loop ($i)"
	modrescue unload --dry-run loop >/dev/null || fail "unload --dry-run loop ($i)"
	modrescue contain status >/dev/null 2>&1
	# At once: a later take or release of the same slab lock would
	# replace or bury a stale entry.
	locks_json /tmp/locks.json
	if grep -q '"alive":false' /tmp/locks.json; then
		cat /tmp/locks.json
		fail "helper calls ($i): a lock listed with a dead owner"
		break
	fi
	i=$((i + 1))
done
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
assert_cmd "no slab corruption reported" \
	sh -c "! dmesg | grep -Eq 'Poison overwritten|Redzone overwritten|Object padding overwritten|Freepointer corrupt'"
