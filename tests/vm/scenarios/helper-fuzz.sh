# The helper under a fuzzer (issue 9): mr-fuzz sends at least 10,000
# random ioctls to /dev/modrescue (commands, sizes, flags, names, states,
# pids and user pointers) from two processes, while a real in-tree module
# (loop) is loaded and unloaded in a loop the whole time and a patient held
# open gives INSPECT users to copy out. The kernel must stay clean (the lab
# fails on any report not declared), the dispatcher must answer as the ABI
# says, and afterwards the helper still answers, holds no reference,
# unloads cleanly, and the raced module still loads and unloads.

# Calls are cheap (thousands a second even under TCG) and a load/unload
# cycle of loop is not, so the fuzzer runs FUZZ_SECS as well.
FUZZ_CALLS=12000
FUZZ_SECS=12
race=loop
race_ko=$(find "/lib/modules/$(uname -r)" -name "$race.ko" | head -n 1)
assert_match "raced module in the image" "*/$race.ko" "$race_ko"
assert_eq "$race not loaded before" absent "$(mod_state "$race")"

# With the idempotent-load table where there is one (6.4+), so that
# REPAIR_LOADER really walks it while the racing insmod is in it.
idem_hash=$(ksym idem_hash)
if [ -n "$idem_hash" ]; then
	# shellcheck disable=SC2046 # one word per parameter
	assert_cmd "helper loads" insmod "$MR_HELPER" \
		modules_addr="$(ksym modules)" \
		module_mutex_addr="$(ksym module_mutex)" \
		idem_hash_addr="$idem_hash" idem_lock_addr="$(ksym idem_lock)" \
		$(static_areas)
else
	assert_cmd "helper loads" load_helper
fi
abi=$(modrescue --version | sed -n 's/.*(ABI \([0-9]*\)).*/\1/p')
assert_match "--version before" "*helper: loaded, ABI $abi*" \
	"$(modrescue --version)"

# Three open files: users for INSPECT to copy out (mr-fuzz -i only
# inspects this module, never changes it).
load_patient hp_openfd
# shellcheck disable=SC2217 # the open files are the point, not the input
sleep 1000 </dev/hp_openfd 3</dev/hp_openfd 4</dev/hp_openfd &
holder=$!

# The race: load and unload the real module until told to stop. A failed
# step is kept in race.err, the cycles done in race.count.
rm -f /tmp/race.stop /tmp/race.err
echo 0 >/tmp/race.count
(
	n=0
	while [ ! -e /tmp/race.stop ]; do
		"$MR_KMOD/insmod" "$race_ko" 2>>/tmp/race.err ||
			echo "insmod failed" >>/tmp/race.err
		"$MR_KMOD/rmmod" "$race" 2>>/tmp/race.err ||
			echo "rmmod failed" >>/tmp/race.err
		n=$((n + 1))
		echo "$n" >/tmp/race.count
	done
) &
racer=$!
race_started() { [ "$(cat /tmp/race.count)" -ge 1 ]; }
assert_cmd "the race runs" wait_until 20 race_started

cycles0=$(cat /tmp/race.count)
mr-fuzz -n "$FUZZ_CALLS" -d "$FUZZ_SECS" -j 2 -m "$race" -i hp_openfd -t 60 \
	>/tmp/fuzz.out 2>&1
fuzz_rc=$?
cycles=$(($(cat /tmp/race.count) - cycles0))
touch /tmp/race.stop
wait "$racer"
cat /tmp/fuzz.out
assert_eq "mr-fuzz exit" 0 "$fuzz_rc"
calls=$(sed -n 's/^fuzz: \([0-9]*\) calls, .*/\1/p' /tmp/fuzz.out)
assert_cmd "at least 10000 calls ($calls)" test "${calls:-0}" -ge 10000
assert_match "the device answered at the end" \
	"fuzz: final GET_VERSION: ABI $abi *" \
	"$(grep '^fuzz: final GET_VERSION' /tmp/fuzz.out)"
# Enough cycles that the calls met the module in every state.
assert_cmd "the module was raced ($cycles load/unload cycles)" \
	test "$cycles" -ge 2
assert_eq "every load and unload of $race worked" "" "$(cat /tmp/race.err)"
assert_eq "$race unloaded after the race" absent "$(mod_state "$race")"

# The helper still works, and holds no reference once the fuzzer is gone.
assert_match "--version after" "*helper: loaded, ABI $abi*" \
	"$(modrescue --version)"
# shellcheck disable=SC2034 # read by run_probe (lib.sh)
PROBE=surgery-probe
run_probe inspect hp_openfd
assert_eq "INSPECT after" ok "$(probe result)"
assert_eq "INSPECT still sees the open files" 3 "$(probe users)"
assert_eq "helper refcount" 0 "$(mod_refcnt modrescue)"
kill "$holder"
wait "$holder" 2>/dev/null
openfd_free() { [ "$(mod_refcnt hp_openfd)" = 0 ]; }
wait_until 3 openfd_free
assert_cmd "hp_openfd unloads" rmmod hp_openfd

assert_cmd "helper unloads" rmmod modrescue
assert_eq "helper gone" absent "$(mod_state modrescue)"
assert_cmd "/sys/module/modrescue gone" test ! -e /sys/module/modrescue
assert_cmd "/dev/modrescue gone" test ! -e /dev/modrescue
assert_cmd "$race loads after" insmod "$race_ko"
assert_eq "$race state" live "$(mod_state "$race")"
assert_cmd "$race unloads after" rmmod "$race"
assert_eq "$race gone" absent "$(mod_state "$race")"
