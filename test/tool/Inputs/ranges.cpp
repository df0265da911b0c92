// Findings that carry ranges before the checks do: clang's "expression result unused" points at
// the '+' and carries both operands, so the underline ends where the right operand ends.
int sums(int a) {
  a + /* é */ 1;
  a +
      2;
  return a;
}
