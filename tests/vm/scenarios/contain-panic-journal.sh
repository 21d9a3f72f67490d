# contain-panic-journal: a named module's panic is not parked while the
# task holds a sleeping lock of the kernel core, which a parked task would
# keep for good: hp_panic hold_journal=1 panics with a journal handle in
# current->journal_info, as a filesystem in a transaction has. The helper
# says which lock in its "panic not contained" line and the kernel's real
# panic() runs with the original message; the host checks both lines.
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
expect panic 1
expect_line "modrescue: panic not contained: the task holds a filesystem journal handle (journal_info) (called from hp_panic_thread"
expect_line "Kernel panic - not syncing: $p: deliberate panic from a kthread in a journal transaction"
load_patient_bg $p hold_journal=1
sleep 10
fail "the kernel did not panic"
