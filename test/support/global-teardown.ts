export default async function globalTeardown(): Promise<void> {
  const state = globalThis as unknown as { __bgaTeardown?: () => Promise<void> };
  await state.__bgaTeardown?.();
}
