/*
 * scripts/kernel-calls --self-test: three files that call each other in a
 * ring (ring_a -> ring_b -> ring_c -> ring_a). Built with cc -c only.
 */
int ring_b(int n);

int ring_a(int n)
{
	return n ? ring_b(n - 1) : 0;
}
