# baseline-exitwait: hp_exitwait's exit waits forever on a static completion (seed 000).
# rmmod sleeps in D state inside the exit with the module GOING; rmmod -f
# gets EBUSY.
baseline_exit_blocked hp_exitwait "released, unloaded"
