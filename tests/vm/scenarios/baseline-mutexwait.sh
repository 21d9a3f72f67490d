# baseline-mutexwait: hp_mutexwait's exit locks a mutex its own kthread holds forever.
# rmmod sleeps in D state inside the exit with the module GOING; rmmod -f
# gets EBUSY.
baseline_exit_blocked hp_mutexwait quarantined
