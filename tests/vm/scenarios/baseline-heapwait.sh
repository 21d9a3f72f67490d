# baseline-heapwait: hp_heapwait's exit waits forever on a completion inside a kmalloc'd object.
# rmmod sleeps in D state inside the exit with the module GOING; rmmod -f
# gets EBUSY.
baseline_exit_blocked hp_heapwait "released, unloaded"
