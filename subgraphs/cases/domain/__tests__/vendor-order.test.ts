/** The rules of an order at a vendor: which vendor, and the physician an APS through a vendor needs. */
import { checkVendorOrder } from '../vendor-order';

const fields = (check: ReturnType<typeof checkVendorOrder>) => (check.ok ? [] : check.reasons.map((reason) => reason.split(':')[0]));

test('the vendor defaults by code; one that does not take the code is refused', () => {
  expect(checkVendorOrder('PARAMED_EXAM', undefined, undefined)).toEqual({ ok: true, vendor: 'PULSE', physician: null });
  expect(checkVendorOrder('EKG', null, null)).toEqual({ ok: true, vendor: 'PULSE', physician: null });
  expect(checkVendorOrder('MIB', undefined, undefined)).toEqual({ ok: true, vendor: null, physician: null });
  expect(fields(checkVendorOrder('PARAMED_EXAM', 'CHARTWELL', undefined))).toEqual(['vendor']);
  expect(fields(checkVendorOrder('APS', 'PULSE', { name: 'Dr A', phone: '5125550100' }))).toEqual(['vendor']);
  expect(fields(checkVendorOrder('MIB', 'PULSE', undefined))).toEqual(['vendor']);
  // A physician is for an APS through a vendor only.
  expect(fields(checkVendorOrder('EKG', undefined, { name: 'Dr A', phone: '5125550100' }))).toEqual(['physician']);
});

test('an APS through a vendor needs the physician: name and phone, a whole address or none, treatment dates in order', () => {
  expect(fields(checkVendorOrder('APS', undefined, undefined))).toEqual(['physician.name', 'physician.phone']);
  expect(fields(checkVendorOrder('APS', 'CHARTWELL', { name: '  ', phone: '512-555-0100' }))).toEqual(['physician.name']);
  expect(fields(checkVendorOrder('APS', undefined, { name: 'Dr A', phone: '555-0100' }))).toEqual(['physician.phone']);
  expect(fields(checkVendorOrder('APS', undefined, { name: 'Dr A', phone: 'ask the front desk' }))).toEqual(['physician.phone']);
  expect(fields(checkVendorOrder('APS', undefined, { name: 'Dr A', phone: '512-555-0100', city: 'Austin' }))).toEqual([
    'physician.addressLine1',
  ]);
  expect(
    fields(checkVendorOrder('APS', undefined, { name: 'Dr A', phone: '512-555-0100', treatedFrom: '2024-02-01', treatedTo: '2024-01-01' })),
  ).toEqual(['physician.treatedTo']);
  expect(
    fields(
      checkVendorOrder('APS', undefined, {
        name: 'Dr A',
        phone: '512-555-0100',
        addressLine1: '1 Main',
        city: 'Austin',
        state: 'TX',
        postalCode: '787',
      }),
    ),
  ).toEqual(['physician.postalCode']);
  expect(
    checkVendorOrder('APS', undefined, {
      name: ' Dr Alex Morgan ',
      phone: '(512) 555-0101',
      practice: 'Austin Family Medicine',
      addressLine1: '200 Congress Ave',
      city: 'Austin',
      state: 'TX',
      postalCode: '78701-1234',
      treatedFrom: '2019-01-01',
    }),
  ).toEqual({
    ok: true,
    vendor: 'CHARTWELL',
    physician: {
      name: 'Dr Alex Morgan',
      phone: '(512) 555-0101',
      practice: 'Austin Family Medicine',
      address: { line1: '200 Congress Ave', city: 'Austin', state: 'TX', postalCode: '78701-1234' },
      treatedFrom: '2019-01-01',
      treatedTo: null,
    },
  });
});
