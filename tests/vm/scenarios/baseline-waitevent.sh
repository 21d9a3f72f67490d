# baseline-waitevent: hp_waitevent's exit does wait_event() on a condition that never comes true.
# rmmod sleeps in D state inside the exit with the module GOING; rmmod -f
# gets EBUSY.
baseline_exit_blocked hp_waitevent quarantined
