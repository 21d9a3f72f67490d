# contain-names: panic containment names its modules. `contain on --panic`
# without one is a usage error (exit 2) that arms nothing; names are
# normalized as kmod does ('-' is '_') and shown by status, in text and
# JSON; `on` again with other names replaces them, and `on` without
# --panic stops containing panics. The ABI refuses an older caller's
# request for panics (it cannot name modules) and a request naming none,
# with EINVAL, arming nothing, while an older caller's status still works.
# timeout: 200
# kernels: 6.1
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic
assert_eq "on --panic, no module: usage" 2 "$MR_RC"
assert_eq "on --panic, no module: message" "modrescue: ERROR: missing module name: --panic parks only the panics of the modules named" "$MR_ERR"
assert_eq "on --panic, no module: no output" "" "$MR_OUT"
mr contain on hp_panic
assert_eq "a module without --panic: usage" 2 "$MR_RC"
assert_match "a module without --panic: says so" "*module names go with --panic*" "$MR_ERR"
assert_cmd "nothing was armed" sh -c '! test -d /sys/module/modrescue || ! dmesg | grep -q "containment armed"'

mr contain on --panic hp-panic hp_panic_b
assert_eq "on --panic two modules" 0 "$MR_RC"
assert_match "on: names both, normalized" "contain: on since *: oopses, and panics from the code of hp_panic, hp_panic_b (up to 3) (armed*" "$MR_OUT"
mr contain status
assert_match "status: names both" "contain: on since *: oopses, and panics from the code of hp_panic, hp_panic_b (up to 3) (asked the helper)*" "$MR_OUT"
mr contain status --json
assert_match "status --json: names both" '*"panics":true,"panic_max":3,"panic_modules":\["hp_panic","hp_panic_b"\],*' "$MR_OUT"
mr contain on --panic hp_panic_b --panic-max 2
assert_eq "on again, another name" 0 "$MR_RC"
assert_match "on again: the new name only" "contain: on since *: oopses, and panics from the code of hp_panic_b (up to 2)*" "$MR_OUT"
mr contain on --panic hp_panic_b --panic-max 2
assert_eq "on again, the same: already" 0 "$MR_RC"
assert_match "on again, the same: says so" "*(it was on already)*" "$MR_OUT"

PROBE=abi-probe
run_probe
assert_eq "ABI 7 caller asking for panics: refused" EINVAL "$(probe contain_v7_panic)"
assert_eq "ABI 7 caller's status works" ok "$(probe contain_v7_status)"
assert_eq "ABI 7 caller's status: armed" 1 "$(probe contain_v7_status_armed)"
assert_eq "panics without names: refused" EINVAL "$(probe contain_v9_panic_no_names)"
assert_eq "a name too long: refused" EINVAL "$(probe contain_v9_panic_long_name)"
assert_eq "names without panics: refused" EINVAL "$(probe contain_v9_names_without_panic)"
mr contain status --json
assert_match "the refused calls changed nothing" '*"panics":true,"panic_max":2,"panic_modules":\["hp_panic_b"\],*' "$MR_OUT"

mr contain on
assert_eq "on without --panic" 0 "$MR_RC"
assert_match "on without --panic: panics are not contained" "contain: on since *: oopses; panics are not contained*" "$MR_OUT"
mr contain status --json
assert_match "status --json: no modules" '*"panics":false,"panic_max":3,"panic_modules":null,*' "$MR_OUT"
mr contain off
assert_eq "contain off" 0 "$MR_RC"
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
