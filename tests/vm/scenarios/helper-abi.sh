# The helper skeleton: /dev/modrescue (0600), GET_VERSION, the ABI's size
# and command checks, CAP_SYS_MODULE, and a clean load and unload.

assert_match "--version without helper" "*helper: not loaded*" \
	"$(modrescue --version)"
assert_cmd "helper loads" insmod "$MR_HELPER"
assert_eq "helper state" live "$(mod_state modrescue)"
assert_eq "device mode" "600" "$(stat -c %a /dev/modrescue)"
# The CLI prints "(ABI N)" for its own ABI; the helper must report the same.
abi=$(modrescue --version | sed -n 's/.*(ABI \([0-9]*\)).*/\1/p')
assert_match "CLI ABI" "[1-9]*" "$abi"
assert_match "--version with helper" "*helper: loaded, ABI $abi*" \
	"$(modrescue --version)"

abi-probe >/tmp/probe.out
cat /tmp/probe.out
assert_eq "open as root" ok "$(probe open)"
assert_eq "GET_VERSION" ok "$(probe version)"
assert_eq "ABI version" "$abi" "$(probe abi_version)"
assert_eq "reserved field set" EINVAL "$(probe reserved_set)"
assert_eq "size field disagrees with ioctl size" EINVAL "$(probe size_mismatch)"
assert_eq "struct smaller than v1" EINVAL "$(probe too_small)"
assert_eq "unknown command" ENOTTY "$(probe unknown_cmd)"
assert_eq "foreign ioctl magic" ENOTTY "$(probe foreign_magic)"
assert_eq "newer struct, zero tail" ok "$(probe newer_zero_tail)"
assert_eq "newer struct, unknown field set" EINVAL "$(probe newer_nonzero_tail)"
assert_eq "NULL argument" EFAULT "$(probe bad_pointer)"
assert_eq "ioctl without CAP_SYS_MODULE" EPERM "$(probe nocap_ioctl)"
assert_eq "open without CAP_SYS_MODULE" EPERM "$(probe nocap_open)"

assert_cmd "helper unloads" rmmod modrescue
assert_eq "helper gone" absent "$(mod_state modrescue)"
assert_cmd "device gone" test ! -e /dev/modrescue
assert_cmd "helper reloads" insmod "$MR_HELPER"
assert_cmd "helper unloads again" rmmod modrescue

# A forced unload (rmmod -f ignores the reference an open file holds)
# waits until the last file on /dev/modrescue is closed: an ioctl through
# it would run freed code.
assert_cmd "helper loads for rmmod -f" insmod "$MR_HELPER"
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 600 </dev/modrescue &
keeper=$!
rmmod -f modrescue &
forced=$!
forced_waits() { dmesg | grep -q "forced unload: 1 file(s) still open on /dev/modrescue; waiting for them to be closed"; }
assert_cmd "rmmod -f with a file open: waits, says why" wait_until 10 forced_waits
assert_cmd "rmmod -f with a file open: still running" kill -0 "$forced"
assert_eq "rmmod -f with a file open: helper kept" going "$(mod_state modrescue)"
kill "$keeper"
wait "$keeper" 2>/dev/null
wait "$forced"
assert_eq "rmmod -f: done once the file is closed" 0 "$?"
assert_eq "rmmod -f: helper gone" absent "$(mod_state modrescue)"
