# lockrelease-heap: a dead owner's lock in a slab object that was freed and
# reused is never released. hp_slablock's kthread oopses holding the
# spinlock that is the first member of an object of the module's own
# kmem_cache; once the owner is dead the module frees the object and gets
# the same memory back as a new object whose first byte is 1, as a held
# lock's. `modrescue locks` still lists the dead owner's lock; `locks
# release` refuses it (exit 3, reason heap, saying why; --dry-run too), so
# does `unload` (whose plan releases the module's dead owners' locks), and
# neither writes anything: the new object's bytes are intact, the kernel
# is not tainted R, and slub_debug (on for this cache) reports no corruption,
# not even when the module frees it and destroys its cache. A static lock
# (hp_spinoops_lock, in module data) is still released afterwards, but not
# one whose module was unloaded and loaded again over it since it was
# taken (hp_slablock static_lock=1, then fake_held=1). On
# PREEMPT_RT spinlock_t is an rtmutex: once its memory is reused, the
# rtmutex no longer names the dead task as owner, so lockwatch does not
# list it held, and nothing writes it either.
# timeout: 300
# accel: tcg,thread=single
# append: slub_debug=FZP,hp_slablock
rt=0
uname -v | grep -q PREEMPT_RT && rt=1
pat=015a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
param() { cat "/sys/module/hp_slablock/parameters/$1"; }
reallocated() { [ "$(param pattern)" != none ]; }
# slab_lock: the dead owner's lock lockwatch lists, taken in
# hp_slablock_thread; its id in $id.
slab_lock() {
	snap || return 1
	i=$(awk '{
		eq = index($0, "=")
		k = substr($0, 1, eq - 1)
		if (k ~ /^locks\.[0-9]+\.acquired_at$/ &&
		    substr($0, eq + 1) ~ /^hp_slablock_thread\+/) {
			split(k, p, ".")
			print p[2]
			exit
		}
	}' /tmp/l.flat)
	[ -n "$i" ] || return 1
	id=$(jget "locks.$i.lock")
	[ "$(jget "locks.$i.owner.alive")" = false ]
}
slab_clean() {
	! dmesg | grep -Eq 'BUG hp_slablock|Poison overwritten|Redzone overwritten|Object padding overwritten|Freepointer corrupt|Objects remaining in hp_slablock'
}

mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
expect oops 1
load_patient hp_slablock
assert_eq "insmod hp_slablock" 0 "$?"
assert_eq "slub_debug checks its cache" 1 \
	"$(cat /sys/kernel/slab/hp_slablock/sanity_checks)"
assert_cmd "the kthread oopsed with the object's lock held" \
	wait_until 10 oopsed_in hp_slablock_thread
assert_cmd "its object was freed and reallocated" wait_until 10 reallocated
assert_eq "the new object has the freed one's memory" Y "$(param reused)"
assert_eq "the new object's bytes" "$pat" "$(param pattern)"

if [ "$rt" = 1 ]; then
	sleep 2
	snap
	cat /tmp/l.json
	assert_cmd "RT: not listed (the rtmutex names no dead owner)" \
		sh -c "! grep -q hp_slablock_thread /tmp/l.json"
else
	assert_cmd "locks lists the dead owner's lock" wait_until 10 slab_lock
	cat /tmp/l.json
	assert_match "its id" "0x?*" "$id"
	sleep 1
	mr locks release --dry-run "$id"
	assert_eq "dry run: refused" 3 "$MR_RC"
	assert_match "dry run: says why" \
		"*not released: * held by dead pid [0-9]* (hp_slablock), taken at hp_slablock_thread+0x*: its memory may have been freed and reused since; modrescue cannot prove it is still the lock*" \
		"$MR_ERR"
	mr locks release "$id"
	assert_eq "refused" 3 "$MR_RC"
	assert_match "says why" \
		"*not released: * held by dead pid [0-9]* (hp_slablock), taken at hp_slablock_thread+0x*: its memory may have been freed and reused since; modrescue cannot prove it is still the lock*" \
		"$MR_ERR"
	mr locks release --json "$id"
	assert_eq "--json: refused" 3 "$MR_RC"
	assert_match "--json: reason heap" \
		'*"owner":{"pid":*,"comm":"hp_slablock","alive":false,*"released":false,"reason":"heap"*' \
		"$MR_OUT"
	assert_cmd "still listed" slab_lock
	# unload's release of its own dead owner's lock goes through the same
	# check: refused, and nothing else done.
	mr unload hp_slablock
	assert_eq "unload: refused" 3 "$MR_RC"
	assert_match "unload: says why" \
		"*Module hp_slablock: lock * not released: *its memory may have been freed and reused since*" \
		"$MR_OUT$MR_ERR"
	assert_eq "unload: still live" live "$(mod_state hp_slablock)"
fi
assert_eq "the new object's bytes, intact" "$pat" "$(param pattern)"
assert_eq "no R taint" 0 "$(taint_forced_rmmod)"
assert_cmd "nothing released" sh -c "! dmesg | grep -q 'modrescue: released'"
assert_cmd "rmmod hp_slablock" rmmod hp_slablock
assert_cmd "its exit completed" sh -c "dmesg | grep -q 'hp_slablock: exit done'"
assert_cmd "no slab corruption reported" slab_clean

[ "$rt" = 1 ] && exit 0

# A lock in module data, whose module was unloaded and loaded again over
# it after the lock was taken: its memory changed owners, and the new
# module's word there looks held. Refused too.
expect oops 1
load_patient hp_slablock static_lock=1
assert_eq "insmod hp_slablock static_lock=1" 0 "$?"
oopsed2() { [ "$(dmesg | grep -c 'RIP: .*hp_slablock_thread')" -ge 2 ]; }
assert_cmd "it oopsed holding hp_slablock_static" wait_until 10 oopsed2
static_dead() {
	snap || return 1
	i=$(locks_of "hp_slablock_static [hp_slablock]" | head -n 1)
	[ -n "$i" ] && [ "$(jget "locks.$i.owner.alive")" = false ]
}
assert_cmd "listed, its owner dead" wait_until 10 static_dead
assert_cmd "rmmod (its exit does not take the lock)" rmmod hp_slablock
load_patient hp_slablock fake_held=1
assert_eq "insmod hp_slablock again, over the lock" 0 "$?"
assert_eq "its word looks held" 01000000 "$(param word)"
assert_cmd "the old owner's lock, listed in the new module's data" static_dead
cat /tmp/l.json
sleep 1
mr locks release hp_slablock_static
assert_eq "reloaded module: refused" 3 "$MR_RC"
assert_match "reloaded module: says why" \
	"*not released: hp_slablock_static \[hp_slablock\] held by dead pid [0-9]*: its memory may have been freed and reused since*" \
	"$MR_ERR"
assert_eq "its word, intact" 01000000 "$(param word)"
assert_eq "still no R taint" 0 "$(taint_forced_rmmod)"
assert_cmd "rmmod hp_slablock again" rmmod hp_slablock

# A lock in a module's static data is still released.
expect oops 1
load_patient hp_spinoops
assert_eq "insmod hp_spinoops" 0 "$?"
assert_cmd "it oopsed holding its static lock" \
	wait_until 10 oopsed_in hp_spinoops_thread
spin_dead() {
	modrescue locks --all --json >/tmp/locks.json 2>/dev/null
	grep -q '"symbol":"hp_spinoops_lock \[hp_spinoops\]","owner":{[^}]*"alive":false' /tmp/locks.json
}
assert_cmd "listed, its owner dead" wait_until 10 spin_dead
mr locks release hp_spinoops_lock
assert_eq "static lock released" 0 "$MR_RC"
assert_match "says so" "*released hp_spinoops_lock \[hp_spinoops\] held by dead pid*" \
	"$MR_OUT"
assert_cmd "the helper logged it" \
	sh -c "dmesg | grep -q 'modrescue: released hp_spinoops_lock \[hp_spinoops\]'"
assert_eq "R taint after" 1 "$(taint_forced_rmmod)"
assert_cmd "rmmod hp_spinoops" rmmod hp_spinoops
assert_cmd "its exit took the lock" sh -c "dmesg | grep -q 'hp_spinoops: exit done'"
