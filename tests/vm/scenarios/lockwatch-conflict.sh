# Lockwatch refuses to share an entry point: hp_ipmodify registers its own
# IPMODIFY ftrace_ops (a callback that changes nothing) on one hooked entry
# point, as a livepatch or another tool would, and only one IPMODIFY user
# may own a function. `lockwatch on` must then fail (exit 1), name the
# entry point and the other user's callback (read from tracefs'
# enabled_functions, mounted here), hook nothing (never half-armed: no
# site but the patient's is enabled) and leave no helper loaded; once the
# patient is gone, `lockwatch on` arms as usual.
# On PREEMPT_RT, where lockwatch hooks rt_spin_* instead, the patient
# takes rt_spin_trylock_bh.
# timeout: 180
# accel: tcg,thread=single
ef=/sys/kernel/tracing/enabled_functions
[ -e "$ef" ] || mount -t tracefs nodev /sys/kernel/tracing
assert_cmd "tracefs mounted" test -r "$ef"

func=_raw_spin_lock_bh
uname -v | grep -q PREEMPT_RT && func=rt_spin_trylock_bh
load_patient hp_ipmodify func=$func
assert_eq "insmod hp_ipmodify func=$func" 0 "$?"
echo "enabled_functions:"
sed 's/^/  /' "$ef"
assert_match "the patient owns $func" "*$func *I*hp_ipmodify*" "$(grep "^$func " "$ef")"

mr lockwatch on
assert_eq "conflict: on fails" 1 "$MR_RC"
assert_match "conflict: names the entry point" "*cannot arm lockwatch: $func is already redirected*" "$MR_ERR"
assert_match "conflict: names the other user" "*callback is hp_ipmodify_cb*\[hp_ipmodify\]*" "$MR_ERR"
assert_match "conflict: nothing hooked" "*nothing was hooked*" "$MR_ERR"
assert_eq "conflict: says nothing on stdout" "" "$MR_OUT"
mr lockwatch status --json
assert_match "conflict: status off" '*"on":false*"hooks":0*' "$MR_OUT"
assert_cmd "conflict: helper not left loaded" sh -c "! test -d /sys/module/modrescue"
assert_eq "conflict: no site hooked by modrescue" 0 "$(grep -c modrescue "$ef")"
assert_eq "conflict: only the patient's site is enabled" "$func" "$(cut -d' ' -f1 "$ef")"
mr locks
assert_eq "conflict: locks says off" 1 "$MR_RC"

assert_cmd "rmmod hp_ipmodify" rmmod hp_ipmodify
assert_eq "no site left enabled" 0 "$(grep -c . "$ef")"
mr lockwatch on
assert_eq "patient gone: on" 0 "$MR_RC"
assert_match "patient gone: armed" "lockwatch: on since *armed*" "$MR_OUT"
hooked=$(grep -c modrescue "$ef")
mr lockwatch status --json
assert_match "patient gone: every entry point hooked ($hooked in tracefs)" "*\"hooks\":$hooked,*" "$MR_OUT"
assert_cmd "patient gone: $func among them" grep -q "^$func .*modrescue" "$ef"
mr lockwatch off
assert_eq "off" 0 "$MR_RC"
assert_cmd "off: helper gone" sh -c "! test -d /sys/module/modrescue"
assert_eq "off: no site left enabled" 0 "$(grep -c . "$ef")"
