/* scripts/kernel-calls --self-test: see ring_a.c. */
int ring_c(int n);

int ring_b(int n)
{
	return n ? ring_c(n - 1) : 1;
}
