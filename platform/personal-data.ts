import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError, str } from './config';
import type { Identity } from './identity';

/**
 * Personal data at rest (SSN, TIN, bank account, driver's license, medical answers): envelope
 * encryption with AES-256-GCM. Each value gets a fresh data key, wrapped by the active key-encryption
 * key (KEK) of the keyring; the stored form names the KEK by id, so keys rotate without a flag day:
 * a value sealed under an older kid still opens (as stale) and is sealed again on read or by
 * `npm run personal-data:rotate`. The field's name is authenticated data: a sealed value copied into
 * another column does not open. Nothing here logs, and no error carries a key or a plaintext.
 */

/** The development keyring's one key: documented in README, refused when NODE_ENV=production. */
export const DEV_PERSONAL_DATA_KID = 'dev';
export const DEV_PERSONAL_DATA_KEY = 'fBBNsThjPR03F4hVTmGJFXeA0kypnqG+CW603hlIeH8=';

const VERSION = 'pd1';
const KID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

type Env = Record<string, string | undefined>;

/** The keyring the vault is made from; read once at start-up. */
export interface PersonalDataConfig {
  /** PERSONAL_DATA_KEYS: `kid:base64-32-bytes` entries, comma-separated (default the development key, kid `dev`). */
  keys: Readonly<Record<string, Buffer>>;
  /** PERSONAL_DATA_ACTIVE_KEY: the kid new values are sealed under (default: the only kid, or `dev`). */
  activeKid: string;
}

/**
 * Reads and validates the keyring. A bad value throws a ConfigError naming the variable and the
 * entry's position or kid, never the key material.
 */
export function readPersonalDataConfig(env: Env = process.env): PersonalDataConfig {
  const production = env.NODE_ENV === 'production';
  const listed = str(env, 'PERSONAL_DATA_KEYS');
  if (production && listed === undefined) {
    throw new ConfigError('PERSONAL_DATA_KEYS', 'must be set to real keys when NODE_ENV=production (the development key is refused)');
  }
  const keys: Record<string, Buffer> = {};
  const entries = (listed ?? `${DEV_PERSONAL_DATA_KID}:${DEV_PERSONAL_DATA_KEY}`).split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon).trim();
    const where = `entry ${index + 1}`;
    if (!KID.test(kid))
      throw new ConfigError('PERSONAL_DATA_KEYS', `${where} must be kid:base64-key with a kid of 1 to 32 letters, digits, - or _`);
    if (kid in keys) throw new ConfigError('PERSONAL_DATA_KEYS', `${where} repeats kid "${kid}"`);
    const material = entry.slice(colon + 1).trim();
    const key = Buffer.from(material, 'base64');
    // Buffer.from skips characters that are not base64: re-encoding shows whether it read them all.
    const canonical = (text: string) => text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    if (key.length !== KEY_BYTES || canonical(key.toString('base64')) !== canonical(material)) {
      throw new ConfigError('PERSONAL_DATA_KEYS', `${where} (kid "${kid}") must be ${KEY_BYTES} bytes in base64`);
    }
    if (production && material === DEV_PERSONAL_DATA_KEY) {
      throw new ConfigError('PERSONAL_DATA_KEYS', `${where} (kid "${kid}") is the development key, refused when NODE_ENV=production`);
    }
    keys[kid] = key;
  });
  const kids = Object.keys(keys);
  const activeKid = str(env, 'PERSONAL_DATA_ACTIVE_KEY') ?? (kids.length === 1 ? kids[0] : undefined);
  if (activeKid === undefined) {
    throw new ConfigError('PERSONAL_DATA_ACTIVE_KEY', 'is required when PERSONAL_DATA_KEYS lists more than one key: the kid to seal under');
  }
  if (!(activeKid in keys))
    throw new ConfigError('PERSONAL_DATA_ACTIVE_KEY', `names kid "${activeKid}", which PERSONAL_DATA_KEYS does not list`);
  // Buffers cannot be frozen: the vault copies them and never hands them out.
  return Object.freeze({ keys: Object.freeze(keys), activeKid });
}

/** A sealed value that cannot be opened or a seal that cannot be made. The message names the field only. */
export class PersonalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PersonalDataError';
  }
}

export interface Opened {
  plaintext: string;
  /** Sealed under a kid that is not the active one: seal it again (reseal) and store that. */
  stale: boolean;
}

function gcm(key: Buffer, iv: Buffer, aad: Buffer, data: Buffer): { data: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const out = Buffer.concat([cipher.update(data), cipher.final()]);
  return { data: out, tag: cipher.getAuthTag() };
}

function ungcm(key: Buffer, iv: Buffer, tag: Buffer, aad: Buffer, data: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

/**
 * Seals and opens personal data. The stored form is one string,
 * `pd1.<kid>.<wrapped data key>.<iv>.<tag>.<ciphertext>` (base64url parts): the wrapped data key is
 * its own iv, tag and encrypted key. Both layers authenticate `pd1.<kid>.<field>`.
 */
export class PersonalDataVault {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly activeKid: string;

  constructor(config: PersonalDataConfig) {
    this.keys = new Map(Object.entries(config.keys).map(([kid, key]) => [kid, Buffer.from(key)]));
    this.activeKid = config.activeKid;
    if (!this.keys.has(this.activeKid)) throw new PersonalDataError(`active kid "${this.activeKid}" is not in the keyring`);
    Object.freeze(this);
  }

  static fromEnv(env: Env = process.env): PersonalDataVault {
    return new PersonalDataVault(readPersonalDataConfig(env));
  }

  /** The prefix every value sealed under the active key starts with (rotation skips those rows). */
  get activePrefix(): string {
    return `${VERSION}.${this.activeKid}.`;
  }

  /** The kid a sealed value names, without opening it; undefined when it is not a sealed value. */
  static kidOf(sealed: string): string | undefined {
    const parts = sealed.split('.');
    return parts.length === 6 && parts[0] === VERSION && KID.test(parts[1]) ? parts[1] : undefined;
  }

  seal(field: string, plaintext: string): string {
    if (!field) throw new PersonalDataError('a sealed value needs the name of its field');
    const kek = this.keys.get(this.activeKid)!;
    const aad = Buffer.from(`${VERSION}.${this.activeKid}.${field}`);
    const dataKey = randomBytes(KEY_BYTES);
    const wrapIv = randomBytes(IV_BYTES);
    const wrapped = gcm(kek, wrapIv, aad, dataKey);
    const iv = randomBytes(IV_BYTES);
    const sealed = gcm(dataKey, iv, aad, Buffer.from(plaintext, 'utf8'));
    dataKey.fill(0);
    return [
      VERSION,
      this.activeKid,
      b64(Buffer.concat([wrapIv, wrapped.tag, wrapped.data])),
      b64(iv),
      b64(sealed.tag),
      b64(sealed.data),
    ].join('.');
  }

  open(field: string, sealed: string): Opened {
    const parts = sealed.split('.');
    if (parts.length !== 6 || parts[0] !== VERSION || !KID.test(parts[1]) || !parts.slice(2).every((part) => BASE64URL.test(part))) {
      throw new PersonalDataError(`the value of ${field} is not a sealed value`);
    }
    const [, kid, wrappedText, ivText, tagText, dataText] = parts;
    const kek = this.keys.get(kid);
    if (!kek) throw new PersonalDataError(`the value of ${field} is sealed under kid "${kid}", which the keyring does not hold`);
    const wrapped = Buffer.from(wrappedText, 'base64url');
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (wrapped.length !== IV_BYTES + TAG_BYTES + KEY_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new PersonalDataError(`the value of ${field} is not a sealed value`);
    }
    const aad = Buffer.from(`${VERSION}.${kid}.${field}`);
    let dataKey: Buffer | undefined;
    try {
      dataKey = ungcm(
        kek,
        wrapped.subarray(0, IV_BYTES),
        wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        aad,
        wrapped.subarray(IV_BYTES + TAG_BYTES),
      );
      const plaintext = ungcm(dataKey, iv, tag, aad, Buffer.from(dataText, 'base64url')).toString('utf8');
      return { plaintext, stale: kid !== this.activeKid };
    } catch {
      // node:crypto says only "Unsupported state or unable to authenticate data": say which field.
      throw new PersonalDataError(`the value of ${field} does not open under kid "${kid}": altered, or sealed for another field or key`);
    } finally {
      dataKey?.fill(0);
    }
  }

  /** The same plaintext sealed under the active key; a value already under it is returned as it is. */
  reseal(field: string, sealed: string): string {
    const { plaintext, stale } = this.open(field, sealed);
    return stale ? this.seal(field, plaintext) : sealed;
  }
}

/** What kind of identifier a value is, for its mask. */
export type PersonalDataKind = 'SSN' | 'TIN' | 'BANK_ACCOUNT' | 'DRIVERS_LICENSE';

const MASKS: Record<PersonalDataKind, { prefix: string; shown: number }> = {
  SSN: { prefix: '***-**-', shown: 4 },
  TIN: { prefix: '**-***', shown: 4 },
  BANK_ACCOUNT: { prefix: '****', shown: 4 },
  DRIVERS_LICENSE: { prefix: '****', shown: 2 },
};

/**
 * The masked form shown to a caller who may not see the value in full: `***-**-1234` (SSN),
 * `**-***1234` (TIN), `****1234` (bank account), `****34` (driver's license). Separators in the value
 * are ignored; a value too short to keep anything hidden shows no character of it.
 */
export function mask(kind: PersonalDataKind, value: string): string {
  const { prefix, shown } = MASKS[kind];
  const chars = value.replace(/[^A-Za-z0-9]/g, '');
  const tail = chars.length > shown ? chars.slice(-shown) : '*'.repeat(shown);
  return `${prefix}${tail}`;
}

/**
 * Who may read personal data in full: staff and admins, and the agent the case belongs to; a service
 * only when it says why (the reason goes to the access log). Other agents and anonymous callers see
 * masks.
 */
export function canSeeInFull(identity: Identity, subject: { agentId: string; reason?: string }): boolean {
  switch (identity.role) {
    case 'STAFF':
    case 'ADMIN':
      return true;
    case 'AGENT':
      return identity.agentId !== undefined && identity.agentId === subject.agentId;
    case 'SERVICE':
      return Boolean(subject.reason?.trim());
    default:
      return false;
  }
}
