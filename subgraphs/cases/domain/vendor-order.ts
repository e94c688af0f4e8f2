/**
 * What an order at a vendor must hold before it is taken (DOMAIN "Requirements v2"), as pure rules:
 * which vendor it goes to (the one asked for, if it takes the code, else the code's default), and
 * for an APS through a vendor, the physician, with name and phone required. Each problem is a
 * reason naming its field (`physician.phone: …`), never the value given.
 */
import type { RequirementCodeValue as RequirementCode } from '../../shared/vocabulary';
import { defaultVendorFor, type VendorCode, vendorTakes } from './requirement-vendors';

/** The physician an APS is asked of (personal data: sealed at rest, never logged). */
export interface Physician {
  name: string;
  phone: string;
  /** The practice or hospital. */
  practice?: string | null;
  address?: { line1: string; city: string; state: string; postalCode: string } | null;
  /** The treatment dates the records should cover (YYYY-MM-DD). */
  treatedFrom?: string | null;
  treatedTo?: string | null;
}

/** The physician as a person typed it: every field optional until checked. */
export interface PhysicianFields {
  name?: string | null;
  phone?: string | null;
  practice?: string | null;
  addressLine1?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  treatedFrom?: string | null;
  treatedTo?: string | null;
}

export type VendorOrderCheck = { ok: true; vendor: VendorCode | null; physician: Physician | null } | { ok: false; reasons: string[] };

const PHONE = /^\+?[0-9 ().-]{7,25}$/;
const ZIP = /^\d{5}(-\d{4})?$/;

/** The vendor and physician of an order, or every reason it cannot be taken. */
export function checkVendorOrder(
  code: RequirementCode,
  asked: VendorCode | null | undefined,
  input: PhysicianFields | null | undefined,
): VendorOrderCheck {
  if (asked && !vendorTakes(asked, code)) return { ok: false, reasons: [`vendor: ${asked} does not take ${code}`] };
  const vendor = asked ?? defaultVendorFor(code);
  if (code !== 'APS' || !vendor) {
    if (input) return { ok: false, reasons: ['physician: only taken for an APS ordered through a vendor'] };
    return { ok: true, vendor, physician: null };
  }
  const reasons: string[] = [];
  const text = (value: string | null | undefined, field: string, max: number, required = false): string | null => {
    const trimmed = value?.trim() ?? '';
    if (!trimmed) {
      if (required) reasons.push(`physician.${field}: required for an APS through a vendor`);
      return null;
    }
    if (trimmed.length > max) reasons.push(`physician.${field}: at most ${max} characters`);
    return trimmed;
  };
  const name = text(input?.name, 'name', 200, true);
  const phone = text(input?.phone, 'phone', 25, true);
  if (phone && (!PHONE.test(phone) || phone.replace(/\D/g, '').length < 10)) reasons.push('physician.phone: not a phone number');
  const practice = text(input?.practice, 'practice', 200);
  const line1 = text(input?.addressLine1, 'addressLine1', 200);
  const city = text(input?.city, 'city', 100);
  const state = text(input?.state, 'state', 2);
  const postalCode = text(input?.postalCode, 'postalCode', 10);
  if (postalCode && !ZIP.test(postalCode)) reasons.push('physician.postalCode: 5 digits or ZIP+4');
  const anyAddress = Boolean(line1 || city || state || postalCode);
  if (anyAddress && !(line1 && city && state && postalCode))
    reasons.push('physician.addressLine1: an address needs addressLine1, city, state and postalCode');
  const treatedFrom = input?.treatedFrom ?? null;
  const treatedTo = input?.treatedTo ?? null;
  if (treatedFrom && treatedTo && treatedFrom > treatedTo) reasons.push('physician.treatedTo: before treatedFrom');
  if (reasons.length) return { ok: false, reasons };
  return {
    ok: true,
    vendor,
    physician: {
      name: name!,
      phone: phone!,
      practice,
      address: anyAddress ? { line1: line1!, city: city!, state: state!, postalCode: postalCode! } : null,
      treatedFrom,
      treatedTo,
    },
  };
}
